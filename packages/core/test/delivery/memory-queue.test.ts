import { createMemoryQueue } from '../../src/delivery/memory-queue';
import type { RequestBody } from '../../src/transport/transport-types';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const body = (bytes: number, itemCount = 1, fill = 1): RequestBody => ({ data: new Uint8Array(bytes).fill(fill), gzip: false, itemCount });

describe('createMemoryQueue', () => {
  let logs: LogCapture;
  beforeEach(() => { logs = captureDiag(); });
  afterEach(() => logs.restore());

  it('hands entries out oldest first, each to one claimer only', async () => {
    const q = createMemoryQueue({ maxBytes: 1000 });
    await q.put(body(10, 1, 1));
    await q.put(body(10, 1, 2));
    const [first] = await q.claim(1);
    const [second] = await q.claim(1);
    expect(first?.body.data[0]).toBe(1);
    expect(second?.body.data[0]).toBe(2);
    expect(await q.claim(1)).toEqual([]);
  });

  it('puts a released entry back in its original place and forgets a completed one', async () => {
    const q = createMemoryQueue({ maxBytes: 1000 });
    await q.put(body(10, 1, 1));
    await q.put(body(10, 1, 2));
    const [first] = await q.claim(1);
    await q.release(first!);
    const again = await q.claim(2);
    expect(again.map((e) => e.body.data[0])).toEqual([1, 2]);
    for (const e of again) await q.complete(e);
    expect(await q.stats()).toEqual({ requests: 0, items: 0, bytes: 0 });
  });

  it('evicts the oldest entries when full, keeps the newest, and reports the drop in a warn line', async () => {
    const q = createMemoryQueue({ maxBytes: 100 });
    await q.put(body(40, 3, 1));
    await q.put(body(40, 4, 2));
    const result = await q.put(body(40, 5, 3));
    expect(result).toMatchObject({ stored: true, evictedItems: 3 });
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([2, 3]);
    expect(logs.of('warn').join('\n')).toMatch(/evicted 3 items \(1 requests/);
  });

  it('refuses a body larger than the whole bound with a StorageError', async () => {
    const q = createMemoryQueue({ maxBytes: 10 });
    const result = await q.put(body(11, 7));
    expect(result.stored).toBe(false);
    expect(result.error?.code).toBe('AI_STORAGE');
  });

  it('drops entries older than maxAgeMillis', async () => {
    let t = 1_000;
    const q = createMemoryQueue({ maxBytes: 1000, maxAgeMillis: 100, now: () => t });
    await q.put(body(10, 2));
    t += 101;
    expect(await q.claim(1)).toEqual([]);
    expect(logs.of('warn').join('\n')).toMatch(/evicted 2 items/);
  });

  it('removes an unleased entry by id', async () => {
    const q = createMemoryQueue();
    const put = await q.put(body(10));
    expect(await q.remove(put.id!)).toBe(true);
    expect(await q.claim(1)).toEqual([]);
  });
});
