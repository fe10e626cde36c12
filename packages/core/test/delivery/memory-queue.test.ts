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
  it('a request of exactly maxBytes fits: nothing older is evicted for it, and one more byte evicts the oldest', async () => {
    const q = createMemoryQueue({ maxBytes: 100 });
    await q.put(body(60, 2, 1));
    expect(await q.put(body(40, 3, 2))).toEqual({ stored: true, id: expect.any(String), evictedItems: 0 });
    expect(await q.stats()).toEqual({ requests: 2, items: 5, bytes: 100 });
    expect(await q.put(body(1, 1, 3))).toMatchObject({ stored: true, evictedItems: 2 });
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([2, 3]);
  });

  it('keeps an entry exactly maxAgeMillis old and drops it one millisecond later', async () => {
    let t = 1_000;
    const q = createMemoryQueue({ maxBytes: 1000, maxAgeMillis: 100, now: () => t });
    await q.put(body(10, 2));
    t += 100;
    const [kept] = await q.claim(1);
    expect(kept?.createdTimestamp).toBe(1_000);
    await q.release(kept!);
    t += 1;
    expect(await q.claim(1)).toEqual([]);
    expect(await q.stats()).toEqual({ requests: 0, items: 0, bytes: 0 });
  });

  it('putLeased holds the entry for the caller: counted, never claimed, never evicted, queued once released', async () => {
    const q = createMemoryQueue({ maxBytes: 100 });
    const leased = await q.putLeased(body(60, 4, 1));
    expect(leased).toEqual({ stored: true, id: expect.any(String), evictedItems: 0, entry: { id: leased.id, body: expect.anything(), createdTimestamp: expect.any(Number), seq: 1 } });
    expect(await q.claim(5)).toEqual([]);
    expect(await q.remove(leased.id!)).toBe(false); // a held entry is settled by its holder, never removed by id
    expect(await q.stats()).toEqual({ requests: 1, items: 4, bytes: 60 });
    // The leased body is in flight: a put that would need its room is refused, not the lease evicted.
    const refused = await q.put(body(50, 7, 2));
    expect(refused).toMatchObject({ stored: false, evictedItems: 0 });
    expect(refused.error?.message).toMatch(/full with requests in flight; 7 items dropped/);
    await q.release(leased.entry!);
    expect((await q.claim(5)).map((e) => e.id)).toEqual([leased.id]);
  });

  it('evicts queued entries, never leased ones, to make room, and evicts nothing for a body the leases leave no room for', async () => {
    const q = createMemoryQueue({ maxBytes: 100 });
    await q.put(body(30, 1, 1));
    const held = await q.putLeased(body(60, 2, 2));
    // The lease leaves no room for 50 bytes: refused, and the queued 30 bytes are NOT evicted for it.
    const refused = await q.put(body(50, 3, 3));
    expect(refused).toMatchObject({ stored: false, evictedItems: 0 });
    expect(await q.stats()).toEqual({ requests: 2, items: 3, bytes: 90 });
    expect(logs.of('warn')).toEqual([]);
    // 40 bytes fit beside the lease once the queued 30 go: evicted, reported, kept.
    expect(await q.put(body(40, 4, 4))).toMatchObject({ stored: true, evictedItems: 1 });
    expect(logs.of('warn').join('\n')).toMatch(/evicted 1 items \(1 requests/);
    await q.complete(held.entry!);
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([4]);
  });

  it('puts a released entry back before every younger one, after every older one', async () => {
    const q = createMemoryQueue({ maxBytes: 1000 });
    for (const fill of [1, 2, 3]) await q.put(body(10, 1, fill));
    const [, second] = await q.claim(2); // 1 and 2 leased
    await q.put(body(10, 1, 4));
    await q.release(second!);
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([2, 3, 4]);
    await q.release({ id: 'not-held', body: body(1), createdTimestamp: 0 }); // unknown: nothing queued
    expect(await q.stats()).toEqual({ requests: 4, items: 4, bytes: 40 });
  });

  it('claims nothing for max 0 or below, and at most max', async () => {
    const q = createMemoryQueue({ maxBytes: 1000 });
    for (const fill of [1, 2, 3]) await q.put(body(10, 1, fill));
    expect(await q.claim(0)).toEqual([]);
    expect(await q.claim(-1)).toEqual([]);
    expect((await q.claim(2)).map((e) => e.body.data[0])).toEqual([1, 2]);
  });

  it('close puts every leased entry back in the queue (in order) and reports pending evictions', async () => {
    let t = 0;
    const q = createMemoryQueue({ maxBytes: 100, now: () => t });
    await q.put(body(50, 1, 1));
    await q.put(body(50, 1, 2));
    await q.claim(2);
    const leased = await q.putLeased(body(100, 9, 3)); // evicts nothing: both are leased
    expect(leased.stored).toBe(false);
    await q.close();
    expect(await q.stats()).toEqual({ requests: 2, items: 2, bytes: 100 });
    t += 1;
    await q.put(body(100, 1, 4)); // both are queued again, so both can be evicted (reported at once)
    expect(logs.of('warn').join('\n')).toMatch(/evicted 2 items \(2 requests/);
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([4]);
  });

  it('names itself in its log lines and errors', async () => {
    const q = createMemoryQueue({ maxBytes: 10, name: 'memory fallback queue' });
    expect((await q.put(body(11, 2))).error?.message).toBe('memory fallback queue: a request of 11 bytes exceeds the bound of 10 bytes; 2 items dropped');
  });
  it('drops only the expired entries, keeping one exactly maxAgeMillis old, and names the reason', async () => {
    let t = 1_000;
    const q = createMemoryQueue({ maxBytes: 1000, maxAgeMillis: 100, now: () => t });
    expect(q.kind).toBe('memory');
    await q.put(body(10, 2, 1));
    t = 1_050;
    await q.put(body(10, 3, 2));
    t = 1_150; // the first is 150 ms old, the second exactly 100 ms
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([2]);
    expect(logs.of('warn')).toEqual([expect.stringContaining('memory queue: evicted 2 items (1 requests, oldest first): older than 100 ms')]);
  });

  it('puts released entries back in age order wherever they fall, first, between or last', async () => {
    const q = createMemoryQueue({ maxBytes: 1000 });
    for (const fill of [1, 2, 3, 4]) await q.put(body(10, 1, fill));
    const [one, two, three, four] = await q.claim(4);
    for (const entry of [three, one, four, two]) await q.release(entry!);
    expect((await q.claim(5)).map((e) => e.body.data[0])).toEqual([1, 2, 3, 4]);
  });

  it('holds back evictions within the log interval and reports them on flushReports, with the reason', async () => {
    let t = 0;
    const q = createMemoryQueue({ maxBytes: 10, now: () => t });
    await q.put(body(10, 1, 1));
    await q.put(body(10, 2, 2)); // evicts 1 item: logged at once
    t += 1;
    await q.put(body(10, 3, 3)); // evicts 2 items: held back
    expect(logs.of('warn')).toHaveLength(1);
    q.flushReports();
    expect(logs.of('warn')[1]).toContain('memory queue: evicted 2 items (1 requests, oldest first): over 10 bytes; 3 evicted in total');
  });
});
