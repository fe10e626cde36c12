import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeBody, encodeJsonItems, encodeNdjson, selectBodyItems } from '../../src/delivery/body-codec';
import { encodeEnvelopes } from '../helpers/encode-envelopes';

describe('body codec', () => {
  it.each([true, false])('round-trips envelopes as newline-delimited JSON (gzip=%s)', async (gzip) => {
    const envelopes = [{ id: 1 }, { id: 2, text: 'line\nbreak, é, 😀' }];
    const body = await encodeEnvelopes(envelopes, gzip);
    expect(body).toMatchObject({ gzip, itemCount: 2 });
    expect(await decodeBody(body)).toEqual(envelopes);
  });

  it('decodes a JSON-array body too', async () => {
    const data = gzipSync(Buffer.from(JSON.stringify([{ a: 1 }, { b: 2 }])));
    expect(await decodeBody({ data, gzip: true, itemCount: 2 })).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('selects only the given indexes (for a 206 retry), ignoring duplicates and out-of-range indexes', async () => {
    const body = await encodeEnvelopes([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }], true);
    const subset = await selectBodyItems(body, [3, 1, 1, 9]);
    expect(subset.itemCount).toBe(2);
    expect(await decodeBody(subset)).toEqual([{ i: 1 }, { i: 3 }]);
  });

  it('encodes the items as newline-separated lines, plain or gzip, with their count', async () => {
    const plain = await encodeJsonItems(['{"a":1}', '{"b":2}'], false);
    expect(plain).toMatchObject({ gzip: false, itemCount: 2 });
    expect(Buffer.from(plain.data).toString('utf8')).toBe('{"a":1}\n{"b":2}');
    const zipped = await encodeNdjson(Buffer.from('{"a":1}'), 1, true);
    expect(zipped).toMatchObject({ gzip: true, itemCount: 1 });
    expect(gunzipSync(zipped.data).toString('utf8')).toBe('{"a":1}');
  });

  it('reads a body that is a view into a larger buffer only within its bounds (plain and gzip)', async () => {
    const plainView = new Uint8Array(Buffer.from('xx{"a":1}\n{"b":2}yy')).subarray(2, 17);
    expect(await decodeBody({ data: plainView, gzip: false, itemCount: 2 })).toEqual([{ a: 1 }, { b: 2 }]);
    const zipped = gzipSync(Buffer.from('{"c":3}'));
    const padded = new Uint8Array(zipped.byteLength + 4);
    padded.set(zipped, 2);
    expect(await decodeBody({ data: padded.subarray(2, 2 + zipped.byteLength), gzip: true, itemCount: 1 })).toEqual([{ c: 3 }]);
  });

  it('keeps the bytes of a plain buffer that is a view when encoding it', async () => {
    const whole = Buffer.from('xx{"a":1}yy');
    const body = await encodeNdjson(whole.subarray(2, 9), 1, false);
    expect(Buffer.from(body.data).toString('utf8')).toBe('{"a":1}');
  });

  it('skips blank and whitespace-only lines and surrounding whitespace of newline-delimited JSON', async () => {
    const data = Buffer.from('\n  {"a":1}\n\n   \n{"b":2}\n  \n');
    expect(await decodeBody({ data, gzip: false, itemCount: 2 })).toEqual([{ a: 1 }, { b: 2 }]);
    expect(await decodeBody({ data: Buffer.from('  [{"a":1}]  '), gzip: false, itemCount: 1 })).toEqual([{ a: 1 }]);
    expect(await decodeBody({ data: Buffer.from(''), gzip: false, itemCount: 0 })).toEqual([]);
  });

  it.each([true, false])('a 206 retry body keeps the encoding of the original (gzip=%s) and drops indexes below 0 or at the end', async (gzip) => {
    const body = await encodeEnvelopes([{ i: 0 }, { i: 1 }, { i: 2 }], gzip);
    const subset = await selectBodyItems(body, [-1, 2, 0, 3]);
    expect(subset).toMatchObject({ gzip, itemCount: 2 });
    expect(await decodeBody(subset)).toEqual([{ i: 0 }, { i: 2 }]);
    const last = await selectBodyItems(body, [2]);
    expect(await decodeBody(last)).toEqual([{ i: 2 }]);
    expect(await selectBodyItems(body, [0])).toMatchObject({ itemCount: 1 });
  });

  it('sorts the picked indexes numerically, not as text', async () => {
    const body = await encodeEnvelopes(Array.from({ length: 12 }, (_, i) => ({ i })), false);
    expect(await decodeBody(await selectBodyItems(body, [10, 2]))).toEqual([{ i: 2 }, { i: 10 }]);
  });
});
