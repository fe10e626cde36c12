import * as fs from 'node:fs';
import type { StorageConfig } from '../config/resolved-config';
import { claimEntry } from './claim-entry';
import { deliveryLog } from './delivery-log';
import type { EntryName } from './file-names';
import { createFileStoreContext, storeUnusable, type FileStoreContext, type FileStoreOptions } from './file-store-context';
import { createMemoryQueue, DEFAULT_MEMORY_QUEUE_MAX_BYTES } from './memory-queue';
import { withMemoryFallback } from './memory-fallback';
import { putEntry } from './put-entry';
import { errorCode } from './store-directory';
import type { BodyStore, StoredRequest } from './store-types';

export { DEFAULT_LEASE_MILLIS, type FileStoreOptions } from './file-store-context';

/**
 * The offline store, files only: one file per request body in `storage.directory`, written
 * atomically (temp file + rename) with the exact bytes to send; gzip flag, item count and size are
 * in the name. A file is claimed by an atomic rename to a lease name before it is read, deleted
 * after a 2xx, renamed back on failure; stale leases are reclaimed. Only a regular file of the
 * size its name declares (at most `maxEntryBytes`) is ever opened; anything else is removed or
 * moved aside. Bounded by `maxBytes` and `maxAgeMillis` (oldest evicted first, every eviction
 * reported). When the directory itself fails, `put`, `putLeased` and `claim` reject with a
 * {@link StoreUnusableError}: {@link createOfflineStore} adds the memory fallback.
 */
export function createFileStore(storage: StorageConfig, options: FileStoreOptions = {}): BodyStore {
  const context = createFileStoreContext(storage, options);
  const { directory, evictions } = context;
  return {
    kind: 'file',
    put: (body) => putEntry(context, body, false),
    putLeased: (body) => putEntry(context, body, true),
    claim: createClaim(context),
    complete: (entry) => settleLease(context, entry, 'delete', (leasePath) => fs.promises.unlink(leasePath)),
    release: (entry) => settleLease(context, entry, 'release', (leasePath) => fs.promises.rename(leasePath, directory.at(entry.id))),
    remove: (id) => directory.unlinkQuietly(id),
    stats: () => directory.stats(),
    flushReports: () => evictions.flush(),
    // Leases of sends still in flight are kept: they complete normally if this process lives on,
    // and are reclaimed (dead pid) by the next process if it exits.
    close: async () => evictions.flush(),
  };
}

/**
 * The store's `claim`: up to `max` entries, from the candidates of the last listing; at most one
 * new listing per call (entries that fail are never retried in a loop). Entries this process holds
 * or skips are never candidates.
 */
function createClaim(context: FileStoreContext): BodyStore['claim'] {
  const { directory, held, skipped } = context;
  let candidates: EntryName[] = [];
  let refilling: Promise<void> | undefined;
  const refill = (): Promise<void> => (refilling ??= directory.list(true).then(
    (listing) => { candidates = listing.entries.filter((e) => !held.has(e.name) && !skipped.has(e.name)); },
  ).finally(() => { refilling = undefined; }));

  return async (max) => {
    const out: StoredRequest[] = [];
    let refilled = false;
    while (out.length < max) {
      if (candidates.length === 0) {
        if (refilled) break;
        refilled = true;
        await refill().catch((e: unknown) => { throw storeUnusable(context, e, 'list'); });
        if (candidates.length === 0) break;
      }
      const claimed = await claimEntry(context, candidates.shift() as EntryName);
      if (claimed) out.push(claimed);
    }
    return out;
  };
}

/** Delete (`complete`) or rename back (`release`) a lease this process holds; nothing if it holds none. */
async function settleLease(context: FileStoreContext, entry: StoredRequest, what: 'delete' | 'release', settle: (leasePath: string) => Promise<void>): Promise<void> {
  const leasePath = context.held.get(entry.id);
  if (leasePath === undefined) return;
  context.held.delete(entry.id);
  await settle(leasePath).catch((e: unknown) => deliveryLog.debug(`offline store: could not ${what} ${entry.id}: ${errorCode(e) ?? String(e)}`));
}

/**
 * The store for a configuration: the offline file store with a bounded memory fallback for when
 * its directory fails, or (with `storage.disabled`) a memory queue that makes no file-system calls.
 */
export function createOfflineStore(storage: StorageConfig, options: FileStoreOptions = {}): BodyStore {
  const memory = (name?: string): BodyStore => createMemoryQueue({
    maxBytes: Math.min(storage.maxBytes, DEFAULT_MEMORY_QUEUE_MAX_BYTES), maxAgeMillis: storage.maxAgeMillis, now: options.now, name,
    ...options.memoryFallback,
  });
  if (storage.disabled) return memory();
  return withMemoryFallback(createFileStore(storage, options), () => memory('memory fallback queue'));
}
