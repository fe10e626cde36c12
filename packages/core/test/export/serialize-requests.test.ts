import { gunzipSync } from 'node:zlib';
import { serializeItems, serializeRequests } from '../../src/export/serialize-requests';

const items = [{ a: 1 }, { text: 'ünïcode ✓ 😀' }, { b: [1, 2] }, { c: 'x'.repeat(50) }];
const lines = (data: Uint8Array, gzip: boolean): string[] =>
  (gzip ? gunzipSync(data) : Buffer.from(data)).toString('utf8').split('\n');

describe('serializeRequests', () => {
  it('writes newline-delimited JSON (gzipped when asked) and keeps each item\'s JSON for 206 retries', async () => {
    for (const gzip of [true, false]) {
      const batch = await serializeRequests(items, gzip);
      expect(batch.unserializable).toBe(0);
      expect(batch.requests).toHaveLength(1);
      const [request] = batch.requests;
      expect(request?.body).toMatchObject({ gzip, itemCount: 4 });
      expect(lines(request!.body.data, gzip)).toEqual(items.map((i) => JSON.stringify(i)));
      expect(items.map((_, i) => request!.itemJson(i))).toEqual(items.map((i) => JSON.stringify(i)));
      expect([-1, 4, 1.5].map((i) => request!.itemJson(i))).toEqual([undefined, undefined, undefined]);
    }
  });

  it('splits by items and by uncompressed bytes, in order; an item over the byte cap travels alone', async () => {
    const byItems = await serializeRequests(items, false, { maxItems: 3 });
    expect(byItems.requests.map((r) => r.body.itemCount)).toEqual([3, 1]);
    const sizes = items.map((i) => Buffer.byteLength(JSON.stringify(i)) + 1);
    const maxBytes = (sizes[0] ?? 0) + (sizes[1] ?? 0);
    const byBytes = await serializeRequests(items, false, { maxBytes });
    expect(byBytes.requests.map((r) => r.body.itemCount)).toEqual([2, 1, 1]);
    expect(byBytes.requests[0]?.body.data.byteLength).toBe(maxBytes - 1); // two items and one newline
    expect(byBytes.requests.flatMap((r) => lines(r.body.data, false))).toEqual(items.map((i) => JSON.stringify(i)));
    expect(byBytes.requests[2]?.itemJson(0)).toBe(JSON.stringify(items[3]));
  });

  it('splits ASCII-only items at the same byte boundaries', async () => {
    const ascii = Array.from({ length: 10 }, (_, i) => ({ i, pad: 'x'.repeat(90) })); // 109 bytes + newline each
    const batch = await serializeRequests(ascii, true, { maxBytes: 350 });
    expect(batch.requests.map((r) => r.body.itemCount)).toEqual([3, 3, 3, 1]);
    expect(batch.requests.flatMap((r) => lines(r.body.data, true))).toEqual(ascii.map((i) => JSON.stringify(i)));
    expect(batch.requests[1]?.itemJson(2)).toBe(JSON.stringify(ascii[5]));
  });

  it('encodes exactly whichever item is the first not in ASCII (first, middle, last)', async () => {
    const ascii = [{ a: 'x' }, { b: 'yy' }, { c: 'zzz' }];
    for (let at = 0; at < ascii.length; at++) {
      const mixed: object[] = ascii.map((item, i) => (i === at ? { ...item, t: 'é✓😀' } : item));
      const [request] = (await serializeRequests(mixed, false)).requests;
      expect(Buffer.from(request!.body.data).toString('utf8')).toBe(mixed.map((i) => JSON.stringify(i)).join('\n'));
      expect(mixed.map((_, i) => request!.itemJson(i))).toEqual(mixed.map((i) => JSON.stringify(i)));
    }
  });

  it('drops and counts envelopes JSON cannot encode', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const batch = await serializeRequests([{ a: 1 }, cyclic, { b: 2 }], false);
    expect(batch.unserializable).toBe(1);
    expect(batch.firstError).toBeInstanceOf(TypeError);
    expect(batch.requests[0]?.body.itemCount).toBe(2);
  });
});

describe('serializeItems', () => {
  const spans = Array.from({ length: 100 }, (_, i) => i);
  const toEnvelopes = (xs: readonly number[]): object[] => xs.flatMap((i) => (i % 10 === 0 ? [{ span: i }, { event: i }] : [{ span: i }]));

  it('produces the same requests as mapping everything and calling serializeRequests', async () => {
    const expected = await serializeRequests(toEnvelopes(spans), true, { maxItems: 40 });
    const batch = await serializeItems(spans, toEnvelopes, true, { limits: { maxItems: 40 } });
    expect(batch.envelopeCount).toBe(110);
    expect(batch.requests.map((r) => lines(r.body.data, true))).toEqual(expected.requests.map((r) => lines(r.body.data, true)));
    expect(batch.requests[1]?.itemJson(3)).toBe(expected.requests[1]?.itemJson(3));
  });

  it('yields to the event loop between slices once a slice has used its time budget', async () => {
    let clock = 0;
    const mappedWhenTheLoopRan: number[] = [];
    let mapped = 0;
    const map = (xs: readonly number[]): object[] => { mapped += xs.length; clock += 5; return toEnvelopes(xs); };
    const probe = (): void => { mappedWhenTheLoopRan.push(mapped); if (mapped < spans.length) setImmediate(probe); };
    setImmediate(probe);
    const batch = await serializeItems(spans, map, false, { sliceMillis: 2, now: () => clock });
    expect(batch.envelopeCount).toBe(110);
    // 100 items in steps of 32: every step is over budget, so the loop ran after each step, the
    // last time before the body is written.
    expect(mappedWhenTheLoopRan).toEqual([32, 64, 96, 100]);
  });

  it('does not yield while the slice is within budget', async () => {
    let mapped = 0;
    let loopRanAt: number | undefined;
    setImmediate(() => { loopRanAt = mapped; });
    await serializeItems(spans, (xs) => { mapped += xs.length; return toEnvelopes(xs); }, false, { sliceMillis: 1e9 });
    expect(loopRanAt).toBeUndefined(); // the whole batch ran before the loop got a turn
    await new Promise((resolve) => setImmediate(resolve));
    expect(loopRanAt).toBe(100);
  });

  it('returns what map threw and no request', async () => {
    const boom = new Error('boom');
    const batch = await serializeItems(spans, (xs) => { if (xs.includes(70)) throw boom; return toEnvelopes(xs); }, false);
    expect(batch).toMatchObject({ requests: [], mapError: boom });
  });
});
