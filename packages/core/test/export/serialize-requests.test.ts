import { gunzipSync } from 'node:zlib';
import { serializeRequests } from '../../src/export/serialize-requests';

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

  it('drops and counts envelopes JSON cannot encode', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const batch = await serializeRequests([{ a: 1 }, cyclic, { b: 2 }], false);
    expect(batch.unserializable).toBe(1);
    expect(batch.firstError).toBeInstanceOf(TypeError);
    expect(batch.requests[0]?.body.itemCount).toBe(2);
  });
});
