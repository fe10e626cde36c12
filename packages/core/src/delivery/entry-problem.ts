import type { EntryName } from './file-names';

/** What the store does with a directory entry it must not send. */
type BadEntryAction = 'remove' | 'move-aside';

/** Why an entry named like a queued body is not one, and what to do with it. */
export interface EntryProblem {
  readonly reason: string;
  readonly action: BadEntryAction;
}

/** The parts of `fs.Stats` the check reads (an `lstat` before opening, an `fstat` after). */
export interface EntryStat {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
}

/** This process's uid where the platform has uids (the owner every file the store writes has). */
export const PROCESS_UID: number | undefined = typeof process.getuid === 'function' ? process.getuid() : undefined;

/** Permission bits of group and others: the store writes its files 0600, so these are never set. */
const SHARED_BITS = 0o077;
/** Owner read: set on every file the store writes. */
const OWNER_READ = 0o400;

/**
 * Why the file behind `entry` must not be read, or `undefined` when it may: only a regular file
 * the store could have written (owned by `ownerUid`, mode 0600 or narrower but owner-readable, on
 * platforms with uids) whose size is the one its name declares and at most `maxBytes` is ever
 * opened or read. A directory or a file with foreign owner or permissions is moved aside (it may be
 * someone's data); anything else is removed: unlinking a symbolic link, FIFO or device node never
 * touches what it points to.
 */
export function entryProblem(stat: EntryStat, entry: EntryName, maxBytes: number, ownerUid: number | undefined): EntryProblem | undefined {
  if (stat.isSymbolicLink()) return { reason: 'it is a symbolic link', action: 'remove' };
  if (stat.isDirectory()) return { reason: 'it is a directory', action: 'move-aside' };
  if (!stat.isFile()) return { reason: 'it is not a regular file (FIFO, socket or device)', action: 'remove' };
  if (ownerUid !== undefined) {
    if (stat.uid !== ownerUid) return { reason: `it belongs to uid ${stat.uid}, not to this process's uid ${ownerUid}`, action: 'move-aside' };
    const mode = stat.mode & 0o777;
    if ((mode & SHARED_BITS) !== 0 || (mode & OWNER_READ) === 0) {
      return { reason: `its mode 0${mode.toString(8)} is not one the store writes (0600)`, action: 'move-aside' };
    }
  }
  if (stat.size > maxBytes) return { reason: `it is ${stat.size} bytes, over the bound of ${maxBytes} bytes`, action: 'remove' };
  if (stat.size !== entry.bytes) return { reason: `it is ${stat.size} bytes, its name says ${entry.bytes}`, action: 'remove' };
  return undefined;
}
