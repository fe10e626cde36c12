import { deliveryLog } from './delivery-log';
import type { BodyStore, LeasedPut, StoredRequest, StoreStats } from './store-types';

/**
 * A store that uses `primary` until it fails (its `put`, `putLeased` or `claim` rejects: the
 * directory is unusable), then warns once and keeps every later body in a bounded memory queue
 * from `createFallback` for the rest of the process's life. Entries already in memory are claimed
 * first and settled by the memory queue; the rest go to `primary`. Methods never reject.
 */
export function withMemoryFallback(primary: BodyStore, createFallback: () => BodyStore): BodyStore {
  const memory = createFallback();
  const inMemory = new Set<string>();
  let degraded = false;

  const degrade = (e: unknown): void => {
    if (degraded) return;
    degraded = true;
    const why = e instanceof Error ? e.message : String(e);
    deliveryLog.warn(`${why}; falling back to a bounded memory queue: queued telemetry now lives only as long as this process`);
  };

  const putInMemory = async (result: Promise<LeasedPut>): Promise<LeasedPut> => {
    const put = await result;
    if (put.id !== undefined) inMemory.add(put.id);
    return put;
  };

  const put = async (leased: boolean, body: Parameters<BodyStore['put']>[0]): Promise<LeasedPut> => {
    if (!degraded) {
      try {
        return await (leased ? primary.putLeased(body) : primary.put(body));
      } catch (e: unknown) {
        degrade(e);
      }
    }
    return putInMemory(leased ? memory.putLeased(body) : memory.put(body));
  };

  const owner = (entry: StoredRequest | string): BodyStore => (inMemory.has(typeof entry === 'string' ? entry : entry.id) ? memory : primary);

  return {
    kind: primary.kind,
    put: (body) => put(false, body),
    putLeased: (body) => put(true, body),
    async claim(max) {
      const out = await memory.claim(max);
      if (out.length >= max || degraded) return out;
      try {
        return [...out, ...(await primary.claim(max - out.length))];
      } catch (e: unknown) {
        degrade(e);
        return out;
      }
    },
    async complete(entry) {
      if (inMemory.delete(entry.id)) await memory.complete(entry);
      else await primary.complete(entry);
    },
    release: (entry) => owner(entry).release(entry),
    async remove(id) {
      const removed = await owner(id).remove(id);
      if (removed) inMemory.delete(id);
      return removed;
    },
    stats: () => combinedStats(memory, degraded ? undefined : primary),
    flushReports() {
      memory.flushReports();
      primary.flushReports();
    },
    close: () => closeBoth(primary, memory),
  };
}

/** The memory queue's stats plus the primary's (`undefined` once degraded: its directory failed). */
async function combinedStats(memory: BodyStore, primary: BodyStore | undefined): Promise<StoreStats> {
  const [a, b] = await Promise.all([memory.stats(), primary?.stats()]);
  return b ? { requests: a.requests + b.requests, items: a.items + b.items, bytes: a.bytes + b.bytes } : a;
}

/** Close both stores; what the memory queue still held is lost at exit: say how much. */
async function closeBoth(primary: BodyStore, memory: BodyStore): Promise<void> {
  await primary.close();
  const left = await memory.stats();
  await memory.close();
  if (left.items > 0) deliveryLog.warn(`memory fallback queue: ${left.items} items were not delivered and are lost at exit`);
}
