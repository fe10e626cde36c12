import { randomBytes } from 'node:crypto';
import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';
import { createEvictionReporter, type EvictionReporter } from './eviction-reporter';
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

/** The bounds and contents of one memory queue. */
interface QueueState {
  readonly maxBytes: number;
  readonly maxAgeMillis: number;
  readonly now: () => number;
  readonly name: string;
  readonly evictions: EvictionReporter;
  /** Random per queue: ids are never reused across queues or processes. */
  readonly prefix: string;
  /** Waiting entries, oldest first. */
  queued: Entry[];
  /** Entries claimed (or put leased) and not yet settled. */
  readonly leased: Map<string, Entry>;
  seq: number;
}

/**
 * A bounded in-process queue of request bodies: used when offline storage is disabled or the
 * directory cannot be written. Makes no file-system calls. When full, the oldest entries go first
 * and the drop is reported (warn line + `evictedItems`).
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): BodyStore {
  const now = options.now ?? Date.now;
  const name = options.name ?? 'memory queue';
  const state: QueueState = {
    maxBytes: options.maxBytes ?? DEFAULT_MEMORY_QUEUE_MAX_BYTES,
    maxAgeMillis: options.maxAgeMillis ?? 48 * 60 * 60_000,
    now, name, evictions: createEvictionReporter(deliveryLog, name, now),
    prefix: randomBytes(4).toString('hex'), queued: [], leased: new Map(), seq: 0,
  };
  return {
    kind: 'memory',
    async put(body: RequestBody): Promise<PutResult> {
      const admitted = admit(state, body);
      if ('stored' in admitted) return admitted;
      state.queued.push(admitted.entry);
      return { stored: true, id: admitted.entry.id, evictedItems: admitted.evictedItems };
    },
    async putLeased(body: RequestBody): Promise<LeasedPut> {
      const admitted = admit(state, body);
      if ('stored' in admitted) return admitted;
      state.leased.set(admitted.entry.id, admitted.entry);
      return { stored: true, id: admitted.entry.id, evictedItems: admitted.evictedItems, entry: admitted.entry };
    },
    async claim(max: number): Promise<StoredRequest[]> {
      dropExpired(state);
      const taken = state.queued.splice(0, Math.max(0, max));
      for (const e of taken) state.leased.set(e.id, e);
      return taken;
    },
    async complete(entry: StoredRequest): Promise<void> {
      state.leased.delete(entry.id);
    },
    release: async (entry: StoredRequest): Promise<void> => release(state, entry),
    async remove(id: string): Promise<boolean> {
      const before = state.queued.length;
      state.queued = state.queued.filter((e) => e.id !== id);
      return state.queued.length !== before;
    },
    async stats(): Promise<StoreStats> {
      const all = [...state.queued, ...state.leased.values()];
      return { requests: all.length, items: all.reduce((n, e) => n + e.body.itemCount, 0), bytes: heldBytes(state) };
    },
    flushReports: () => state.evictions.flush(),
    async close(): Promise<void> {
      state.evictions.flush();
      for (const entry of [...state.leased.values()]) release(state, entry);
    },
  };
}

function leasedBytes(state: QueueState): number {
  let bytes = 0;
  for (const e of state.leased.values()) bytes += e.body.data.byteLength;
  return bytes;
}

function heldBytes(state: QueueState): number {
  return state.queued.reduce((n, e) => n + e.body.data.byteLength, leasedBytes(state));
}

/** Drop (and report) queued entries older than `maxAgeMillis`. */
function dropExpired(state: QueueState): void {
  const cutoff = state.now() - state.maxAgeMillis;
  const expired = state.queued.filter((e) => e.createdTimestamp < cutoff);
  if (expired.length === 0) return;
  state.queued = state.queued.filter((e) => e.createdTimestamp >= cutoff);
  state.evictions.report(expired.reduce((n, e) => n + e.body.itemCount, 0), expired.length, `older than ${state.maxAgeMillis} ms`);
}

/** Make room for `body` (evicting the oldest queued entries) and build its entry, or say why not. */
function admit(state: QueueState, body: RequestBody): { entry: Entry; evictedItems: number } | PutResult {
  const { maxBytes, name } = state;
  dropExpired(state);
  const size = body.data.byteLength;
  if (size > maxBytes) {
    return { stored: false, evictedItems: 0, error: new StorageError(`${name}: a request of ${size} bytes exceeds the bound of ${maxBytes} bytes; ${body.itemCount} items dropped`) };
  }
  // Leased bodies are in flight and cannot be evicted: when they leave no room, refuse before
  // evicting anything (evicting older entries for a body that is then refused loses both).
  if (leasedBytes(state) + size > maxBytes) {
    return { stored: false, evictedItems: 0, error: new StorageError(`${name}: full with requests in flight; ${body.itemCount} items dropped`) };
  }
  let total = heldBytes(state) + size;
  let evictedItems = 0;
  let evictedRequests = 0;
  while (total > maxBytes) {
    const oldest = state.queued.shift() as Entry; // never runs out: the leased bytes alone leave room
    total -= oldest.body.data.byteLength;
    evictedItems += oldest.body.itemCount;
    evictedRequests++;
  }
  state.evictions.report(evictedItems, evictedRequests, `over ${maxBytes} bytes`);
  return { entry: { id: `${state.prefix}-${++state.seq}`, body, createdTimestamp: state.now(), seq: state.seq }, evictedItems };
}

/** Put a leased entry back in the queue in age (sequence) order; nothing if it is not leased. */
function release(state: QueueState, entry: StoredRequest): void {
  const held = state.leased.get(entry.id);
  if (!held) return;
  state.leased.delete(entry.id);
  const at = state.queued.findIndex((e) => e.seq > held.seq);
  if (at < 0) state.queued.push(held); else state.queued.splice(at, 0, held);
}
