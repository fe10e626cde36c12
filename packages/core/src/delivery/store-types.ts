import type { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';

/** One request body held by a store and leased to the caller until `complete` or `release`. */
export interface StoredRequest {
  /** Store-unique id of the entry (a file name for the file store). */
  readonly id: string;
  /** The exact bytes to send, with their gzip flag and item count. */
  readonly body: RequestBody;
  /** When the body was first queued. */
  readonly createdTimestamp: number;
}

/** What happened to one `put`. */
export interface PutResult {
  /** `true` when the body is now queued (durably for the file store). */
  readonly stored: boolean;
  /** Id of the new entry when stored. */
  readonly id?: string;
  /** Items of older entries evicted (bounds) to make room; already logged by the store. */
  readonly evictedItems: number;
  /** Set when the body itself could not be queued (too large for the bound, store failure). */
  readonly error?: StorageError;
}

/** What happened to one `putLeased`: a `PutResult` plus the entry, already leased to the caller. */
export interface LeasedPut extends PutResult {
  /** The stored entry when `stored`; settle it with `complete` or `release`. */
  readonly entry?: StoredRequest;
}

/** Size of what a store holds right now (best effort for shared directories). */
export interface StoreStats {
  readonly requests: number;
  readonly items: number;
  readonly bytes: number;
}

/**
 * A bounded queue of request bodies waiting for delivery: the offline file store or the memory
 * queue. Entries are claimed (leased) before they are sent, deleted only after a 2xx
 * (`complete`), and put back on failure (`release`). The stores delivery uses never reject:
 * `createOfflineStore` wraps the file store (which rejects `put`/`putLeased`/`claim` with a
 * `StoreUnusableError` when its directory fails) in `withMemoryFallback`.
 */
export interface BodyStore {
  /** `file` for the offline store (even while degraded to memory), `memory` for the memory queue. */
  readonly kind: 'file' | 'memory';
  /** Queue a body; oldest entries are evicted first when a bound is reached. */
  put(body: RequestBody): Promise<PutResult>;
  /**
   * Queue a body already leased to the caller (write-ahead before a send): nobody else claims it
   * until the caller calls `complete` or `release`; if the process dies first, it is reclaimed.
   */
  putLeased(body: RequestBody): Promise<LeasedPut>;
  /** Lease up to `max` of the oldest entries; none may be leased by anyone else at the same time. */
  claim(max: number): Promise<StoredRequest[]>;
  /** Delete a leased entry after its items were accepted (or dropped for good). */
  complete(entry: StoredRequest): Promise<void>;
  /** Put a leased entry back, unchanged, so it is sent later. */
  release(entry: StoredRequest): Promise<void>;
  /** Delete an unleased entry by id (a body that was queued at a deadline and then sent after all). */
  remove(id: string): Promise<boolean>;
  /** What the store holds now. */
  stats(): Promise<StoreStats>;
  /** Log evictions not yet reported (rate-limited lines hold them back): at drain end and at close. */
  flushReports(): void;
  /** Stop using the store; leases still held by this process are released. */
  close(): Promise<void>;
}
