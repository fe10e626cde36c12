import * as fs from 'node:fs';
import type { StorageConfig } from '../config/resolved-config';
import { createDiagnostics } from '../diag/diagnostics';
import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';
import { entryProblem, PROCESS_UID } from './entry-problem';
import { createEvictionReporter } from './eviction-reporter';
import { describeEviction, evictionReason } from './eviction-bounds';
import { formatEntryName, formatTempName, type EntryName } from './file-names';
import { formatLeaseName, isPidAlive } from './lease';
import { createMemoryQueue, DEFAULT_MEMORY_QUEUE_MAX_BYTES, type MemoryQueueOptions } from './memory-queue';
import { withMemoryFallback } from './memory-fallback';
import { readEntryFile } from './read-entry-file';
import { setAsideEntry } from './set-aside-entry';
import { createStoreDirectory, errorCode } from './store-directory';
import { StoreUnusableError } from './store-unusable-error';
import type { BodyStore, LeasedPut, StoredRequest } from './store-types';
import { UnsafeDirectoryError } from './verify-private-directory';

/** Default lease: longer than any one send (export timeout 30 s) with margin. */
export const DEFAULT_LEASE_MILLIS = 120_000;
/**
 * Default bound of one stored request, written or read: requests are at most 1 MB before gzip (one
 * larger envelope travels alone) and ingestion refuses far smaller bodies than this.
 */
const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** How long a claim holds a file before others may reclaim it (default 120 s; > one send's timeout). */
  readonly leaseMillis?: number;
  /** Largest request written or read (default 16 MiB, never more than `storage.maxBytes`). */
  readonly maxEntryBytes?: number;
  /** Bounds of the memory queue used when the directory cannot be written ({@link createOfflineStore}). */
  readonly memoryFallback?: MemoryQueueOptions;
  /** Clock (tests). */
  readonly now?: () => number;
  /** Pid liveness check (tests). */
  readonly pidAlive?: (pid: number) => boolean;
}

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
  const leaseMillis = options.leaseMillis ?? DEFAULT_LEASE_MILLIS;
  const maxEntryBytes = Math.min(storage.maxBytes, options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES);
  const now = options.now ?? Date.now;
  const held = new Map<string, string>(); // entry name -> lease path
  const skipped = new Set<string>(); // bad entries that could neither be removed nor moved aside
  const directory = createStoreDirectory(storage, { now, pidAlive: options.pidAlive ?? isPidAlive, isHeld: (name) => held.has(name) });
  const evictions = createEvictionReporter(deliveryLog, `offline store ${storage.directory}`, now);
  const warnings = createDiagnostics({ logger: deliveryLog, nowMillis: now });
  let candidates: EntryName[] = [];
  let refilling: Promise<void> | undefined;

  const unusable = (e: unknown, operation: string): StoreUnusableError => (e instanceof UnsafeDirectoryError ? new StoreUnusableError(e.message, { cause: e })
    : new StoreUnusableError(`offline storage ${storage.directory} is not usable (${errorCode(e) ?? (e instanceof Error ? e.message : 'error')} on ${operation})`, { cause: e }));

  /** Drop expired entries and, while over `maxBytes`, the oldest ones (never `keep`). */
  const enforceBounds = async (keep?: string): Promise<number> => {
    const { entries, leaseBytes } = await directory.list(false);
    let total = leaseBytes + entries.reduce((n, e) => n + e.bytes, 0);
    let evictedItems = 0;
    for (const e of entries) {
      const reason = evictionReason(e, total, storage, now(), keep);
      if (reason === undefined || !(await directory.unlinkQuietly(e.name))) continue;
      total -= e.bytes;
      evictedItems += e.itemCount;
      evictions.report(e.itemCount, 1, describeEviction(reason, storage));
    }
    return evictedItems;
  };

  /** Write atomically: temp file, then one rename to the entry name (or to a lease this process holds). */
  const write = async (body: RequestBody, createdTimestamp: number, leased: boolean): Promise<string> => {
    await directory.ensure();
    const name = formatEntryName(createdTimestamp, body.itemCount, body.data.byteLength, body.gzip);
    const temp = directory.at(formatTempName(name));
    const final = directory.at(leased ? formatLeaseName(name, now() + leaseMillis) : name);
    try {
      await fs.promises.writeFile(temp, body.data, { mode: 0o600, flag: 'wx' });
      await fs.promises.rename(temp, final);
    } catch (e: unknown) {
      await fs.promises.unlink(temp).catch(() => undefined);
      throw e;
    }
    if (leased) held.set(name, final);
    return name;
  };

  /** Write, recreating the directory once if it was removed under us. */
  const writeOrThrow = async (body: RequestBody, createdTimestamp: number, leased: boolean): Promise<string> => {
    try {
      return await write(body, createdTimestamp, leased);
    } catch (first: unknown) {
      if (errorCode(first) !== 'ENOENT') throw unusable(first, 'write');
      directory.forget();
      return write(body, createdTimestamp, leased).catch((second: unknown) => { throw unusable(second, 'write'); });
    }
  };

  const putFile = async (body: RequestBody, leased: boolean): Promise<LeasedPut> => {
    if (body.data.byteLength > maxEntryBytes) {
      return { stored: false, evictedItems: 0, error: new StorageError(`offline store: a request of ${body.data.byteLength} bytes exceeds the bound of ${maxEntryBytes} bytes; ${body.itemCount} items dropped`) };
    }
    const createdTimestamp = now();
    const id = await writeOrThrow(body, createdTimestamp, leased);
    const evictedItems = await enforceBounds(id).catch((e: unknown) => {
      deliveryLog.debug(`offline store: could not enforce bounds: ${errorCode(e) ?? String(e)}`);
      return 0;
    });
    return { stored: true, id, evictedItems, ...(leased ? { entry: { id, body, createdTimestamp } } : {}) };
  };

  const setAside = async (name: string, entry: EntryName, problem: Parameters<typeof setAsideEntry>[3]): Promise<undefined> => {
    if (!(await setAsideEntry(directory, name, entry.itemCount, problem, warnings))) skipped.add(entry.name);
    return undefined;
  };

  /** Lease one file and read it safely; `undefined` if it is gone, expired or not a body we wrote. */
  const claimOne = async (entry: EntryName): Promise<StoredRequest | undefined> => {
    if (evictionReason(entry, 0, storage, now()) === 'expired') {
      if (await directory.unlinkQuietly(entry.name)) evictions.report(entry.itemCount, 1, describeEviction('expired', storage));
      return undefined;
    }
    const stat = await fs.promises.lstat(directory.at(entry.name)).catch((e: unknown) => {
      if (errorCode(e) !== 'ENOENT') skipped.add(entry.name); // ENOENT: claimed by another process, which may release it
      return undefined;
    });
    if (stat === undefined) return undefined;
    const problem = entryProblem(stat, entry, maxEntryBytes, PROCESS_UID);
    if (problem) return setAside(entry.name, entry, problem);
    const leaseName = formatLeaseName(entry.name, now() + leaseMillis);
    try {
      await fs.promises.rename(directory.at(entry.name), directory.at(leaseName));
    } catch (e: unknown) {
      if (errorCode(e) !== 'ENOENT') { skipped.add(entry.name); deliveryLog.debug(`offline store: could not claim ${entry.name}: ${errorCode(e) ?? String(e)}`); }
      return undefined;
    }
    const read = await readEntryFile(directory.at(leaseName), entry, maxEntryBytes);
    if (read.kind === 'gone') return undefined;
    if (read.kind === 'bad') return setAside(leaseName, entry, read.problem);
    held.set(entry.name, directory.at(leaseName));
    return { id: entry.name, body: { data: read.data, gzip: entry.gzip, itemCount: entry.itemCount }, createdTimestamp: entry.createdTimestamp };
  };

  const refill = (): Promise<void> => (refilling ??= directory.list(true).then(
    (listing) => { candidates = listing.entries.filter((e) => !held.has(e.name) && !skipped.has(e.name)); },
  ).finally(() => { refilling = undefined; }));

  return {
    kind: 'file',
    put: (body) => putFile(body, false),
    putLeased: (body) => putFile(body, true),
    async claim(max) {
      const out: StoredRequest[] = [];
      let refilled = false; // one listing per call: entries that fail are never retried in a loop
      while (out.length < max) {
        if (candidates.length === 0) {
          if (refilled) break;
          refilled = true;
          await refill().catch((e: unknown) => { throw unusable(e, 'list'); });
          if (candidates.length === 0) break;
        }
        const claimed = await claimOne(candidates.shift() as EntryName);
        if (claimed) out.push(claimed);
      }
      return out;
    },
    async complete(entry) {
      const leasePath = held.get(entry.id);
      if (leasePath === undefined) return;
      held.delete(entry.id);
      await fs.promises.unlink(leasePath).catch((e: unknown) => deliveryLog.debug(`offline store: could not delete ${entry.id}: ${errorCode(e) ?? String(e)}`));
    },
    async release(entry) {
      const leasePath = held.get(entry.id);
      if (leasePath === undefined) return;
      held.delete(entry.id);
      await fs.promises.rename(leasePath, directory.at(entry.id)).catch((e: unknown) => deliveryLog.debug(`offline store: could not release ${entry.id}: ${errorCode(e) ?? String(e)}`));
    },
    remove: (id) => directory.unlinkQuietly(id),
    stats: () => directory.stats(),
    flushReports: () => evictions.flush(),
    // Leases of sends still in flight are kept: they complete normally if this process lives on,
    // and are reclaimed (dead pid) by the next process if it exits.
    close: async () => evictions.flush(),
  };
}

/**
 * The store for a configuration: the offline file store with a bounded memory fallback for when
 * its directory fails, or (with `storage.disabled`) a memory queue that makes no file-system calls.
 */
export function createOfflineStore(storage: StorageConfig, options: FileStoreOptions = {}): BodyStore {
  const memory = (name?: string): BodyStore => createMemoryQueue({
    maxBytes: Math.min(storage.maxBytes, DEFAULT_MEMORY_QUEUE_MAX_BYTES), maxAgeMillis: storage.maxAgeMillis, now: options.now,
    ...(name !== undefined ? { name } : {}), ...options.memoryFallback,
  });
  if (storage.disabled) return memory();
  return withMemoryFallback(createFileStore(storage, options), () => memory('memory fallback queue'));
}
