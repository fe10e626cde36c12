import type { StorageConfig } from '../config/resolved-config';
import { createDiagnostics, type Diagnostics } from '../diag/diagnostics';
import { deliveryLog } from './delivery-log';
import { createEvictionReporter, type EvictionReporter } from './eviction-reporter';
import { isPidAlive } from './lease';
import type { MemoryQueueOptions } from './memory-queue';
import { createStoreDirectory, errorCode, type StoreDirectory } from './store-directory';
import { StoreUnusableError } from './store-unusable-error';
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

/** What the parts of one file store share: its settings, directory, leases held and reporters. */
export interface FileStoreContext {
  readonly storage: StorageConfig;
  readonly leaseMillis: number;
  /** Largest request written or read: `options.maxEntryBytes`, never more than `storage.maxBytes`. */
  readonly maxEntryBytes: number;
  readonly now: () => number;
  /** Entry name -> lease path, for the leases this process holds. */
  readonly held: Map<string, string>;
  /** Bad entries that could neither be removed nor moved aside: never claimed again. */
  readonly skipped: Set<string>;
  readonly directory: StoreDirectory;
  readonly evictions: EvictionReporter;
  readonly warnings: Diagnostics;
}

/** The shared state of a new file store for `storage`. */
export function createFileStoreContext(storage: StorageConfig, options: FileStoreOptions): FileStoreContext {
  const now = options.now ?? Date.now;
  const held = new Map<string, string>();
  return {
    storage,
    leaseMillis: options.leaseMillis ?? DEFAULT_LEASE_MILLIS,
    maxEntryBytes: Math.min(storage.maxBytes, options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES),
    now,
    held,
    skipped: new Set<string>(),
    directory: createStoreDirectory(storage, { now, pidAlive: options.pidAlive ?? isPidAlive, isHeld: (name) => held.has(name) }),
    evictions: createEvictionReporter(deliveryLog, `offline store ${storage.directory}`, now),
    warnings: createDiagnostics({ logger: deliveryLog, nowMillis: now }),
  };
}

/** The {@link StoreUnusableError} for a failure of the store's directory during `operation`. */
export function storeUnusable(context: FileStoreContext, e: unknown, operation: string): StoreUnusableError {
  if (e instanceof UnsafeDirectoryError) return new StoreUnusableError(e.message, { cause: e });
  const why = errorCode(e) ?? (e instanceof Error ? e.message : 'error');
  return new StoreUnusableError(`offline storage ${context.storage.directory} is not usable (${why} on ${operation})`, { cause: e });
}
