import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { withMemoryFallback } from '../../src/delivery/memory-fallback';
import { StoreUnusableError } from '../../src/delivery/store-unusable-error';
import type { BodyStore, StoredRequest } from '../../src/delivery/store-types';
import type { RequestBody } from '../../src/transport/transport-types';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const body = (itemCount: number, fill = itemCount): RequestBody => ({ data: new Uint8Array(10).fill(fill), gzip: false, itemCount });

/** A primary store that works until `fail` is set, then rejects like a file store whose directory failed. */
function flakyPrimary(): { store: BodyStore; fail: (operation?: 'put' | 'claim') => void; calls: string[] } {
  const inner = createMemoryQueue();
  const calls: string[] = [];
  let failing: 'put' | 'claim' | undefined;
  const boom = (): never => { throw new StoreUnusableError('offline storage /x is not usable (EROFS on write)'); };
  const store: BodyStore = {
    kind: 'file',
    put: async (b) => { calls.push('put'); if (failing) boom(); return inner.put(b); },
    putLeased: async (b) => { calls.push('putLeased'); if (failing) boom(); return inner.putLeased(b); },
    claim: async (max) => { calls.push('claim'); if (failing === 'claim') boom(); return inner.claim(max); },
    complete: async (e) => { calls.push(`complete:${e.id}`); return inner.complete(e); },
    release: async (e) => { calls.push(`release:${e.id}`); return inner.release(e); },
    remove: async (id) => { calls.push(`remove:${id}`); return inner.remove(id); },
    stats: () => inner.stats(),
    flushReports: () => { calls.push('flushReports'); },
    close: async () => { calls.push('close'); },
  };
  return { store, calls, fail: (operation = 'put') => { failing = operation; } };
}

describe('withMemoryFallback', () => {
  let logs: LogCapture;
  beforeEach(() => { logs = captureDiag(); });
  afterEach(() => { logs.restore(); });

  it('uses the primary while it works, and reports it as the primary kind', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    expect(store.kind).toBe('file');
    expect(await store.put(body(2))).toMatchObject({ stored: true });
    const [claimed] = await store.claim(1);
    await store.complete(claimed!);
    expect(primary.calls).toEqual(['put', 'claim', `complete:${claimed!.id}`]);
    expect(logs.of('warn')).toEqual([]);
  });

  it('after the primary fails: one warning naming the cause, every body in memory, entries settled by the memory queue', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    await store.put(body(1)); // in the primary
    primary.fail();
    expect(await store.put(body(2))).toMatchObject({ stored: true });
    const ahead = await store.putLeased(body(3));
    expect(ahead.entry).toBeDefined();
    expect(primary.calls.filter((c) => c === 'put' || c === 'putLeased')).toEqual(['put', 'put']); // never tried again
    const warnings = logs.of('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('EROFS on write');
    expect(warnings[0]).toContain('memory queue');
    // Degraded: memory first, the primary is no longer read.
    const claimed = await store.claim(5);
    expect(claimed.map((e) => e.body.itemCount)).toEqual([2]);
    await store.release(claimed[0]!);
    await store.complete(ahead.entry!);
    expect(primary.calls.some((c) => c.startsWith('release') || c.startsWith('complete') || c === 'claim')).toBe(false);
    expect(await store.stats()).toMatchObject({ requests: 1, items: 2 });
  });

  it('claims memory entries first, then the primary, up to max', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    await store.put(body(1, 1));
    await store.put(body(4, 4));
    primary.fail('claim');
    const claimed = await store.claim(5); // the primary's claim fails: degrade, memory only
    expect(claimed).toEqual([]);
    expect(logs.of('warn')).toHaveLength(1);
    await store.put(body(2, 2));
    expect((await store.claim(5)).map((e) => e.body.itemCount)).toEqual([2]);
  });

  it('fills a claim from both: memory entries, then the primary', async () => {
    const primary = flakyPrimary();
    let memory: BodyStore | undefined;
    const store = withMemoryFallback(primary.store, () => (memory = createMemoryQueue()));
    await primary.store.put(body(1, 1));
    await memory!.put(body(2, 2));
    expect((await store.claim(1)).map((e) => e.body.itemCount)).toEqual([2]);
    await memory!.put(body(3, 3));
    expect((await store.claim(5)).map((e) => e.body.itemCount)).toEqual([3, 1]);
  });

  it('routes remove to the store that holds the id, and merges stats', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    const inFile = await store.put(body(1));
    primary.fail();
    const inMemory = await store.put(body(2));
    expect(await store.remove(inMemory.id!)).toBe(true);
    expect(primary.calls).not.toContain(`remove:${inMemory.id}`);
    expect(await store.remove(inMemory.id!)).toBe(false);
    expect(await store.remove(inFile.id!)).toBe(true);
    expect(primary.calls).toContain(`remove:${inFile.id}`);
  });

  it('stats add both stores while the primary works', async () => {
    const primary = flakyPrimary();
    let memory: BodyStore | undefined;
    const store = withMemoryFallback(primary.store, () => (memory = createMemoryQueue()));
    await primary.store.put(body(1));
    await memory!.put(body(2));
    expect(await store.stats()).toEqual({ requests: 2, items: 3, bytes: 20 });
  });

  it('flushes both stores\' reports, closes both, and says how many memory items are lost at exit', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    primary.fail();
    await store.put(body(4));
    store.flushReports();
    await store.close();
    expect(primary.calls).toEqual(expect.arrayContaining(['flushReports', 'close']));
    expect(logs.of('warn').some((l) => l.endsWith('memory fallback queue: 4 items were not delivered and are lost at exit'))).toBe(true);
  });

  it('says nothing at close when memory is empty', async () => {
    const store = withMemoryFallback(flakyPrimary().store, () => createMemoryQueue());
    await store.close();
    expect(logs.of('warn')).toEqual([]);
  });

  it('a failure that is not an Error is still named', async () => {
    const primary = flakyPrimary();
    const failing: BodyStore = { ...primary.store, put: async () => { throw 'disk gone'; } };
    const store = withMemoryFallback(failing, () => createMemoryQueue());
    expect(await store.put(body(1))).toMatchObject({ stored: true });
    expect(logs.of('warn')[0]).toMatch(/ disk gone; falling back/);
  });

  it('an entry released in memory can be claimed again', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    primary.fail();
    await store.put(body(2));
    const [e] = await store.claim(1);
    await store.release(e as StoredRequest);
    expect((await store.claim(1))[0]?.id).toBe(e!.id);
  });
  it('a claim that memory fills alone never reads the primary', async () => {
    const primary = flakyPrimary();
    let memory: BodyStore | undefined;
    const store = withMemoryFallback(primary.store, () => (memory = createMemoryQueue()));
    await memory!.put(body(2, 2));
    await memory!.put(body(3, 3));
    expect((await store.claim(2)).map((e) => e.body.itemCount)).toEqual([2, 3]);
    expect(primary.calls).toEqual([]);
  });

  it('entries claimed from the primary before it failed are still completed or released by the primary', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    await store.put(body(1, 1));
    await store.put(body(2, 2));
    const [a, b] = await store.claim(2);
    primary.fail('claim');
    expect(await store.claim(1)).toEqual([]); // degrades
    await store.release(a!);
    await store.complete(b!);
    expect(primary.calls).toEqual(expect.arrayContaining([`release:${a!.id}`, `complete:${b!.id}`]));
    expect(await primary.store.stats()).toMatchObject({ requests: 1, items: 1 }); // a is back in the file, not lost; b is gone
  });
  it('two puts failing at once still warn once', async () => {
    const primary = flakyPrimary();
    primary.fail();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    const puts = await Promise.all([store.put(body(1)), store.put(body(2))]);
    expect(puts.map((p) => p.stored)).toEqual([true, true]);
    expect(logs.of('warn')).toHaveLength(1);
  });

  it('a claim topped up from the primary never hands out more than max', async () => {
    const primary = flakyPrimary();
    let memory: BodyStore | undefined;
    const store = withMemoryFallback(primary.store, () => (memory = createMemoryQueue()));
    for (const n of [1, 2, 3]) await primary.store.put(body(n, n));
    await memory!.put(body(4, 4));
    expect((await store.claim(2)).map((e) => e.body.itemCount)).toEqual([4, 1]);
    expect(await primary.store.stats()).toMatchObject({ requests: 3 }); // 2 and 3 not leased by this claim
    expect((await store.claim(5)).map((e) => e.body.itemCount)).toEqual([2, 3]);
  });

  it('remove of a memory entry that is leased (in flight) keeps it routed to memory, so its release puts it back', async () => {
    const primary = flakyPrimary();
    const store = withMemoryFallback(primary.store, () => createMemoryQueue());
    primary.fail();
    const put = await store.put(body(3));
    const [leased] = await store.claim(1);
    expect(await store.remove(put.id!)).toBe(false); // leased: not removed
    await store.release(leased!);
    expect((await store.claim(1)).map((e) => e.id)).toEqual([put.id]);
    expect(primary.calls.some((c) => c.startsWith('release'))).toBe(false);
  });
});
