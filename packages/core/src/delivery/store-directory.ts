import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StorageConfig } from '../config/resolved-config';
import { deliveryLog } from './delivery-log';
import { parseEntryName, parseTempName, type EntryName } from './file-names';
import { isLeaseStale, parseLeaseName } from './lease';
import type { StoreStats } from './store-types';
import { verifyPrivateDirectory } from './verify-private-directory';

/** What one read of the directory found. */
interface Listing {
  /** Unleased entries, oldest first. */
  readonly entries: EntryName[];
  /** Bytes held by leases (still counted against the bound). */
  readonly leaseBytes: number;
  /** Items and requests named by leases. */
  readonly leaseItems: number;
  readonly leaseRequests: number;
}

/** Options of {@link createStoreDirectory}. */
export interface StoreDirectoryOptions {
  readonly now: () => number;
  readonly pidAlive: (pid: number) => boolean;
  /** Entries whose lease this process holds: never reclaimed. */
  readonly isHeld: (entryName: string) => boolean;
}

/** The directory of a file store: creation, safe listing, lease reclaim, quiet deletes. */
export interface StoreDirectory {
  readonly dir: string;
  at(name: string): string;
  /** Create the directory (private checks for the default one); retried after a failure. */
  ensure(): Promise<void>;
  /** Forget that the directory exists (it was removed under us). */
  forget(): void;
  /** Read the directory; with `reclaim`, take back stale leases and delete dead writers' temp files. */
  list(reclaim: boolean): Promise<Listing>;
  /** Entries and leases by their names (zero when the directory cannot be read). */
  stats(): Promise<StoreStats>;
  /** Delete `name`; `false` when it was gone or could not be deleted. */
  unlinkQuietly(name: string): Promise<boolean>;
}

export const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

const EMPTY: Listing = Object.freeze({ entries: [], leaseBytes: 0, leaseItems: 0, leaseRequests: 0 });

/** Create a {@link StoreDirectory} for `storage.directory`. Errors of the directory itself are thrown. */
export function createStoreDirectory(storage: StorageConfig, options: StoreDirectoryOptions): StoreDirectory {
  const dir = storage.directory;
  let ready: Promise<void> | undefined;
  const at = (name: string): string => path.join(dir, name);

  const create = (): Promise<void> => (storage.requirePrivate
    ? verifyPrivateDirectory(dir, true).then(() => undefined)
    : fs.promises.mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined));

  const unlinkQuietly = (name: string): Promise<boolean> => quietly(fs.promises.unlink(at(name)), `delete ${name}`);
  /** Rename a stale lease back to its entry name; `false` if someone else got there first. */
  const reclaimLease = (name: string, entryName: string): Promise<boolean> => quietly(fs.promises.rename(at(name), at(entryName)), `reclaim ${name}`);

  const readNames = async (): Promise<string[] | undefined> => {
    try {
      // A private directory we did not create this run must pass its checks before we read it.
      if (storage.requirePrivate && ready === undefined) await verifyPrivateDirectory(dir, false);
      return await fs.promises.readdir(dir);
    } catch (e: unknown) {
      if (errorCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  };

  const list = async (reclaim: boolean): Promise<Listing> => {
    const names = await readNames();
    if (names === undefined) return EMPTY;
    const entries: EntryName[] = [];
    let leaseBytes = 0; let leaseItems = 0; let leaseRequests = 0; let reclaimed = 0;
    for (const name of names) {
      const entry = parseEntryName(name);
      if (entry) { entries.push(entry); continue; }
      const lease = parseLeaseName(name);
      if (lease) {
        const stale = reclaim && !options.isHeld(lease.entry.name) && isLeaseStale(lease, options.now(), options.pidAlive);
        if (stale && (await reclaimLease(name, lease.entry.name))) { entries.push(lease.entry); reclaimed++; continue; }
        leaseBytes += lease.entry.bytes; leaseItems += lease.entry.itemCount; leaseRequests++;
        continue;
      }
      const writer = parseTempName(name);
      if (reclaim && writer !== undefined && writer !== process.pid && !options.pidAlive(writer)) await unlinkQuietly(name);
    }
    if (reclaimed > 0) deliveryLog.info(`offline store: reclaimed ${reclaimed} stale leases`);
    // Names in one directory are unique: no two compare equal.
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { entries, leaseBytes, leaseItems, leaseRequests };
  };

  return {
    dir,
    at,
    ensure: () => (ready ??= create().catch((e: unknown) => {
      ready = undefined;
      throw e;
    })),
    forget() { ready = undefined; },
    list,
    stats: async () => listingStats(await list(false).catch(() => EMPTY)),
    unlinkQuietly,
  };
}

/** `true` once `operation` (an unlink or rename) is done; `false` when it failed, logged unless the file was gone. */
async function quietly(operation: Promise<void>, what: string): Promise<boolean> {
  try {
    await operation;
    return true;
  } catch (e: unknown) {
    if (errorCode(e) !== 'ENOENT') deliveryLog.debug(`offline store: could not ${what}: ${errorCode(e) ?? String(e)}`);
    return false;
  }
}

/** Entries and leases of one listing, by their names. */
function listingStats(listing: Listing): StoreStats {
  return {
    requests: listing.entries.length + listing.leaseRequests,
    items: listing.entries.reduce((n, e) => n + e.itemCount, listing.leaseItems),
    bytes: listing.entries.reduce((n, e) => n + e.bytes, listing.leaseBytes),
  };
}
