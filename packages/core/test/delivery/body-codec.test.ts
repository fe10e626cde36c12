import { gzipSync } from 'node:zlib';
import { decodeBody, selectBodyItems } from '../../src/delivery/body-codec';
import { encodeEnvelopes } from '../helpers/encode-envelopes';

describe('body codec', () => {
  it.each([true, false])('round-trips envelopes as newline-delimited JSON (gzip=%s)', async (gzip) => {
    const envelopes = [{ id: 1 }, { id: 2, text: 'line\nbreak' }];
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
});
