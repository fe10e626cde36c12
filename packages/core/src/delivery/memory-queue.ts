import { randomBytes } from 'node:crypto';
import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';
import { createEvictionReporter } from './eviction-reporter';
import type { BodyStore, LeasedPut, PutResult, StoredRequest, StoreStats } from './store-types';

/** Default byte bound of the memory queue. */
export const DEFAULT_MEMORY_QUEUE_MAX_BYTES = 16 * 1024 * 1024;

/** Bounds of a memory queue. */
export interface MemoryQueueOptions {
  /** Bytes of request bodies held at most (default 16 MiB). */
  readonly maxBytes?: number;
  /** Entries older than this are dropped (default 48 h). */
  readonly maxAgeMillis?: number;
  /** Clock (tests). */
  readonly now?: () => number;
  /** Name in log lines. */
  readonly name?: string;
}

interface Entry extends StoredRequest { readonly seq: number }

/**
 * A bounded in-process queue of request bodies: used when offline storage is disabled or the
 * directory cannot be written. Makes no file-system calls. When full, the oldest entries go first
 * and the drop is reported (warn line + `evictedItems`).
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): BodyStore {
  const maxBytes = options.maxBytes ?? DEFAULT_MEMORY_QUEUE_MAX_BYTES;
  const maxAgeMillis = options.maxAgeMillis ?? 48 * 60 * 60_000;
  const now = options.now ?? Date.now;
  const name = options.name ?? 'memory queue';
  const evictions = createEvictionReporter(deliveryLog, name, now);
  const prefix = randomBytes(4).toString('hex');
  let queued: Entry[] = [];
  const leased = new Map<string, Entry>();
  let seq = 0;

  const leasedBytes = (): number => {
    let bytes = 0;
    for (const e of leased.values()) bytes += e.body.data.byteLength;
    return bytes;
  };
  const heldBytes = (): number => queued.reduce((n, e) => n + e.body.data.byteLength, leasedBytes());

  const dropExpired = (): void => {
    const cutoff = now() - maxAgeMillis;
    const expired = queued.filter((e) => e.createdTimestamp < cutoff);
    if (expired.length === 0) return;
    queued = queued.filter((e) => e.createdTimestamp >= cutoff);
    evictions.report(expired.reduce((n, e) => n + e.body.itemCount, 0), expired.length, `older than ${maxAgeMillis} ms`);
  };

  /** Make room for `body` (evicting the oldest queued entries) and build its entry, or say why not. */
  const admit = (body: RequestBody): { entry: Entry; evictedItems: number } | PutResult => {
    dropExpired();
    const size = body.data.byteLength;
    if (size > maxBytes) {
      return { stored: false, evictedItems: 0, error: new StorageError(`${name}: a request of ${size} bytes exceeds the bound of ${maxBytes} bytes; ${body.itemCount} items dropped`) };
    }
    // Leased bodies are in flight and cannot be evicted: when they leave no room, refuse before
    // evicting anything (evicting older entries for a body that is then refused loses both).
    if (leasedBytes() + size > maxBytes) {
      return { stored: false, evictedItems: 0, error: new StorageError(`${name}: full with requests in flight; ${body.itemCount} items dropped`) };
    }
    let total = heldBytes() + size;
    let evictedItems = 0;
    let evictedRequests = 0;
    while (total > maxBytes) {
      const oldest = queued.shift() as Entry; // never runs out: the leased bytes alone leave room
      total -= oldest.body.data.byteLength;
      evictedItems += oldest.body.itemCount;
      evictedRequests++;
    }
    evictions.report(evictedItems, evictedRequests, `over ${maxBytes} bytes`);
    return { entry: { id: `${prefix}-${++seq}`, body, createdTimestamp: now(), seq }, evictedItems };
  };

  return {
    kind: 'memory',
    async put(body: RequestBody): Promise<PutResult> {
      const admitted = admit(body);
      if ('stored' in admitted) return admitted;
      queued.push(admitted.entry);
      return { stored: true, id: admitted.entry.id, evictedItems: admitted.evictedItems };
    },
    async putLeased(body: RequestBody): Promise<LeasedPut> {
      const admitted = admit(body);
      if ('stored' in admitted) return admitted;
      leased.set(admitted.entry.id, admitted.entry);
      return { stored: true, id: admitted.entry.id, evictedItems: admitted.evictedItems, entry: admitted.entry };
    },
    async claim(max: number): Promise<StoredRequest[]> {
      dropExpired();
      const taken = queued.splice(0, Math.max(0, max));
      for (const e of taken) leased.set(e.id, e);
      return taken;
    },
    async complete(entry: StoredRequest): Promise<void> {
      leased.delete(entry.id);
    },
    async release(entry: StoredRequest): Promise<void> {
      const held = leased.get(entry.id);
      if (!held) return;
      leased.delete(entry.id);
      const at = queued.findIndex((e) => e.seq > held.seq);
      if (at < 0) queued.push(held); else queued.splice(at, 0, held);
    },
    async remove(id: string): Promise<boolean> {
      const before = queued.length;
      queued = queued.filter((e) => e.id !== id);
      return queued.length !== before;
    },
    async stats(): Promise<StoreStats> {
      const all = [...queued, ...leased.values()];
      return { requests: all.length, items: all.reduce((n, e) => n + e.body.itemCount, 0), bytes: heldBytes() };
    },
    flushReports: () => evictions.flush(),
    async close(): Promise<void> {
      evictions.flush();
      for (const entry of [...leased.values()]) await this.release(entry);
    },
  };
}
