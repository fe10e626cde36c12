import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StorageConfig } from '../config/resolved-config';
import { StorageError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { deliveryLog } from './delivery-log';
import { createEvictionReporter } from './eviction-reporter';
import { formatEntryName, formatTempName, parseEntryName, parseTempName, type EntryName } from './file-names';
import { formatLeaseName, isLeaseStale, isPidAlive, parseLeaseName } from './lease';
import { UnsafeDirectoryError, verifyPrivateDirectory } from './verify-private-directory';
import { createMemoryQueue, DEFAULT_MEMORY_QUEUE_MAX_BYTES, type MemoryQueueOptions } from './memory-queue';
import type { BodyStore, LeasedPut, PutResult, StoredRequest, StoreStats } from './store-types';

/** Default lease: longer than any one send (export timeout 30 s) with margin. */
export const DEFAULT_LEASE_MILLIS = 120_000;

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** How long a claim holds a file before others may reclaim it (default 120 s; > one send's timeout). */
  readonly leaseMillis?: number;
  /** Bounds of the memory queue used when the directory cannot be written. */
  readonly memoryFallback?: MemoryQueueOptions;
  /** Clock (tests). */
  readonly now?: () => number;
  /** Pid liveness check (tests). */
  readonly pidAlive?: (pid: number) => boolean;
}

interface Listing {
  readonly entries: EntryName[];
  readonly leaseBytes: number;
}

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * The offline store: one file per request body in `storage.directory`, written atomically (temp
 * file + rename) with the exact bytes to send; gzip flag, item count and size are in the file
 * name. Several processes may share the directory: a file is claimed by an atomic rename to a
 * lease name before it is sent, deleted only after a 2xx, renamed back on failure; expired leases
 * and leases of dead processes on this host are reclaimed. Bounded by `maxBytes` and
 * `maxAgeMillis` (oldest evicted first, counted in a warn line). On EROFS/EACCES/EPERM/ENOSPC (or
 * any other write failure) it warns once and falls back to a bounded memory queue.
 */
export function createFileStore(storage: StorageConfig, options: FileStoreOptions = {}): BodyStore {
  const dir = storage.directory;
  const leaseMillis = options.leaseMillis ?? DEFAULT_LEASE_MILLIS;
  const now = options.now ?? Date.now;
  const pidAlive = options.pidAlive ?? isPidAlive;
  const evictions = createEvictionReporter(deliveryLog, `offline store ${dir}`, now);
  const memory = createMemoryQueue({
    maxBytes: Math.min(storage.maxBytes, DEFAULT_MEMORY_QUEUE_MAX_BYTES),
    maxAgeMillis: storage.maxAgeMillis,
    now,
    name: 'memory fallback queue',
    ...options.memoryFallback,
  });
  const memoryIds = new Set<string>();
  const held = new Map<string, string>(); // entry name -> lease path
  let degraded = false;
  let dirReady: Promise<void> | undefined;
  let candidates: EntryName[] = [];
  let refilling: Promise<void> | undefined;

  const at = (name: string): string => path.join(dir, name);

  const degrade = (e: unknown, operation: string): void => {
    if (degraded) return;
    degraded = true;
    candidates = [];
    if (e instanceof UnsafeDirectoryError) {
      deliveryLog.warn(`${e.message}; falling back to a bounded memory queue: queued telemetry now lives only as long as this process`);
      return;
    }
    deliveryLog.warn(
      `offline storage ${dir} is not usable (${errorCode(e) ?? 'error'} on ${operation}); ` +
        'falling back to a bounded memory queue: queued telemetry now lives only as long as this process',
    );
  };

  const createDir = (): Promise<void> => (storage.requirePrivate
    ? verifyPrivateDirectory(dir, true).then(() => undefined)
    : fs.promises.mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined));
  const ensureDir = (): Promise<void> =>
    (dirReady ??= createDir().catch((e: unknown) => {
      dirReady = undefined;
      throw e;
    }));
  /** Before reading a directory we did not create: a private one must pass its checks first. */
  const checkBeforeRead = async (): Promise<void> => {
    if (storage.requirePrivate && dirReady === undefined) await verifyPrivateDirectory(dir, false);
  };

  const unlinkQuietly = async (name: string): Promise<boolean> => {
    try {
      await fs.promises.unlink(at(name));
      return true;
    } catch (e: unknown) {
      if (errorCode(e) !== 'ENOENT') deliveryLog.debug(`offline store: could not delete ${name}: ${errorCode(e) ?? String(e)}`);
      return false;
    }
  };

  /** Read the directory; reclaim stale leases and dead writers' temp files on the way. */
  const list = async (reclaim: boolean): Promise<Listing> => {
    let names: string[];
    try {
      await checkBeforeRead();
      names = await fs.promises.readdir(dir);
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') return { entries: [], leaseBytes: 0 };
      throw e;
    }
    const entries: EntryName[] = [];
    let leaseBytes = 0;
    let reclaimed = 0;
    for (const name of names) {
      const entry = parseEntryName(name);
      if (entry) { entries.push(entry); continue; }
      const lease = parseLeaseName(name);
      if (lease) {
        if (reclaim && !held.has(lease.entry.name) && isLeaseStale(lease, now(), pidAlive)) {
          try {
            await fs.promises.rename(at(name), at(lease.entry.name));
            entries.push(lease.entry);
            reclaimed++;
          } catch (e: unknown) {
            if (errorCode(e) !== 'ENOENT') throw e;
          }
        } else {
          leaseBytes += lease.entry.bytes;
        }
        continue;
      }
      const writer = parseTempName(name);
      if (reclaim && writer !== undefined && writer !== process.pid && !pidAlive(writer)) await unlinkQuietly(name);
    }
    if (reclaimed > 0) deliveryLog.info(`offline store: reclaimed ${reclaimed} stale leases`);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { entries, leaseBytes };
  };

  /** Drop expired entries and, while over `maxBytes`, the oldest ones (never `keep`). */
  const enforceBounds = async (keep: string): Promise<number> => {
    const { entries, leaseBytes } = await list(false);
    let total = leaseBytes + entries.reduce((n, e) => n + e.bytes, 0);
    const cutoff = now() - storage.maxAgeMillis;
    let expiredItems = 0; let expiredRequests = 0;
    let evictedItems = 0; let evictedRequests = 0;
    for (const e of entries) {
      if (e.name === keep) continue;
      const expired = e.createdTimestamp < cutoff;
      if (!expired && total <= storage.maxBytes) continue;
      if (!(await unlinkQuietly(e.name))) continue; // claimed by someone meanwhile
      total -= e.bytes;
      if (expired) { expiredItems += e.itemCount; expiredRequests++; } else { evictedItems += e.itemCount; evictedRequests++; }
    }
    evictions.report(expiredItems, expiredRequests, `older than ${storage.maxAgeMillis} ms`);
    evictions.report(evictedItems, evictedRequests, `over ${storage.maxBytes} bytes`);
    return expiredItems + evictedItems;
  };

  /**
   * Write atomically: the bytes go to a temp file, which is renamed to the entry name (or, for a
   * write-ahead, straight to a lease name held by this process). Readers never see a partial file.
   */
  const write = async (body: RequestBody, leased: boolean): Promise<string> => {
    await ensureDir();
    const name = formatEntryName(now(), body.itemCount, body.data.byteLength, body.gzip);
    const temp = at(formatTempName(name));
    const final = leased ? at(formatLeaseName(name, now() + leaseMillis)) : at(name);
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

  const putInMemory = async (body: RequestBody, leased: boolean): Promise<LeasedPut> => {
    const result = leased ? await memory.putLeased(body) : await memory.put(body);
    if (result.id !== undefined) memoryIds.add(result.id);
    return result;
  };

  const refill = (): Promise<void> =>
    (refilling ??= (async () => {
      try {
        candidates = (await list(true)).entries.filter((e) => !held.has(e.name));
      } catch (e: unknown) {
        degrade(e, 'list');
      } finally {
        refilling = undefined;
      }
    })());

  /** Lease one file; `undefined` if it is gone, expired or unreadable. */
  const claimOne = async (entry: EntryName): Promise<StoredRequest | undefined> => {
    if (entry.createdTimestamp < now() - storage.maxAgeMillis) {
      if (await unlinkQuietly(entry.name)) evictions.report(entry.itemCount, 1, `older than ${storage.maxAgeMillis} ms`);
      return undefined;
    }
    const leasePath = at(formatLeaseName(entry.name, now() + leaseMillis));
    try {
      await fs.promises.rename(at(entry.name), leasePath);
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') return undefined; // another process claimed it first
      throw e;
    }
    let data: Buffer;
    try {
      data = await fs.promises.readFile(leasePath);
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') return undefined;
      throw e;
    }
    if (data.byteLength !== entry.bytes) {
      deliveryLog.warn(`offline store: ${entry.name} is ${data.byteLength} bytes, expected ${entry.bytes}; deleting it (${entry.itemCount} items lost)`);
      await fs.promises.unlink(leasePath).catch(() => undefined);
      return undefined;
    }
    held.set(entry.name, leasePath);
    return {
      id: entry.name,
      body: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), gzip: entry.gzip, itemCount: entry.itemCount },
      createdTimestamp: entry.createdTimestamp,
    };
  };

  const putFile = async (body: RequestBody, leased: boolean): Promise<LeasedPut> => {
    if (degraded) return putInMemory(body, leased);
    if (body.data.byteLength > storage.maxBytes) {
      return { stored: false, evictedItems: 0, error: new StorageError(`offline store: a request of ${body.data.byteLength} bytes exceeds the bound of ${storage.maxBytes} bytes; ${body.itemCount} items dropped`) };
    }
    let name: string;
    try {
      name = await write(body, leased);
    } catch (first: unknown) {
      if (errorCode(first) !== 'ENOENT') { degrade(first, 'write'); return putInMemory(body, leased); }
      try {
        dirReady = undefined; // the directory was removed under us: recreate it once
        name = await write(body, leased);
      } catch (second: unknown) {
        degrade(second, 'write');
        return putInMemory(body, leased);
      }
    }
    let evictedItems = 0;
    try {
      evictedItems = await enforceBounds(name);
    } catch (e: unknown) {
      deliveryLog.debug(`offline store: could not enforce bounds: ${errorCode(e) ?? String(e)}`);
    }
    return { stored: true, id: name, evictedItems };
  };

  return {
    kind: 'file',
    put: (body: RequestBody): Promise<PutResult> => putFile(body, false),
    async putLeased(body: RequestBody): Promise<LeasedPut> {
      const result = await putFile(body, true);
      if (!result.stored || result.id === undefined || result.entry) return result;
      return { ...result, entry: { id: result.id, body, createdTimestamp: now() } };
    },
    async claim(max: number): Promise<StoredRequest[]> {
      const out: StoredRequest[] = [];
      for (const e of await memory.claim(max)) { out.push(e); }
      while (out.length < max && !degraded) {
        if (candidates.length === 0) {
          await refill();
          if (candidates.length === 0) break;
        }
        const next = candidates.shift() as EntryName;
        try {
          const claimed = await claimOne(next);
          if (claimed) out.push(claimed);
        } catch (e: unknown) {
          degrade(e, 'claim');
        }
      }
      return out;
    },
    async complete(entry: StoredRequest): Promise<void> {
      if (memoryIds.delete(entry.id)) { await memory.complete(entry); return; }
      const leasePath = held.get(entry.id);
      if (leasePath === undefined) return;
      held.delete(entry.id);
      await fs.promises.unlink(leasePath).catch((e: unknown) => {
        deliveryLog.debug(`offline store: could not delete ${entry.id}: ${errorCode(e) ?? String(e)}`);
      });
    },
    async release(entry: StoredRequest): Promise<void> {
      if (memoryIds.has(entry.id)) { await memory.release(entry); return; }
      const leasePath = held.get(entry.id);
      if (leasePath === undefined) return;
      held.delete(entry.id);
      await fs.promises.rename(leasePath, at(entry.id)).catch((e: unknown) => {
        deliveryLog.debug(`offline store: could not release ${entry.id}: ${errorCode(e) ?? String(e)}`);
      });
    },
    async remove(id: string): Promise<boolean> {
      if (memoryIds.has(id)) {
        const removed = await memory.remove(id);
        if (removed) memoryIds.delete(id);
        return removed;
      }
      return unlinkQuietly(id);
    },
    async stats(): Promise<StoreStats> {
      const inMemory = await memory.stats();
      if (degraded) return inMemory;
      try {
        await checkBeforeRead();
        const names = await fs.promises.readdir(dir).catch((e: unknown) => {
          if (errorCode(e) === 'ENOENT') return [] as string[];
          throw e;
        });
        let requests = inMemory.requests; let items = inMemory.items; let bytes = inMemory.bytes;
        for (const name of names) {
          const entry = parseEntryName(name) ?? parseLeaseName(name)?.entry;
          if (!entry) continue;
          requests++; items += entry.itemCount; bytes += entry.bytes;
        }
        return { requests, items, bytes };
      } catch {
        return inMemory;
      }
    },
    async close(): Promise<void> {
      // Leases of sends still in flight are kept: they complete normally if this process lives on,
      // and are reclaimed (dead pid) by the next process if it exits.
      const left = await memory.stats();
      if (left.items > 0) deliveryLog.warn(`memory fallback queue: ${left.items} items were not delivered and are lost at exit`);
    },
  };
}

/**
 * The store for a configuration: the offline file store, or (with `storage.disabled`) a memory
 * queue that makes no file-system calls at all.
 */
export function createOfflineStore(storage: StorageConfig, options: FileStoreOptions = {}): BodyStore {
  if (storage.disabled) {
    return createMemoryQueue({ maxBytes: Math.min(storage.maxBytes, DEFAULT_MEMORY_QUEUE_MAX_BYTES), maxAgeMillis: storage.maxAgeMillis, now: options.now, ...options.memoryFallback });
  }
  return createFileStore(storage, options);
}
