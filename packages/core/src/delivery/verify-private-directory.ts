import * as fs from 'node:fs';
import * as path from 'node:path';
import { brandError } from '../error-brand';
import { StorageError } from '../errors';
import { PROCESS_UID } from './entry-problem';

/** The owner the directory must have: this process's uid, `null` on platforms without uids (Windows). */
const OWNER_UID: number | null = PROCESS_UID ?? null;

/** Group- and world-write permission bits. */
const SHARED_WRITE_BITS = 0o022;

/** The directory is not private to this user: files in it could come from someone else. */
export class UnsafeDirectoryError extends StorageError {
  override name = 'UnsafeDirectoryError';
}
brandError(UnsafeDirectoryError, 'UnsafeDirectoryError');

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

function describeMode(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/** Why `stat` of `dir` is not a private directory of user `uid`, or `undefined` when it is. */
function unsafeReason(stat: fs.Stats, uid: number): string | undefined {
  if (stat.isSymbolicLink()) return 'it is a symbolic link';
  if (!stat.isDirectory()) return 'it is not a directory';
  if (stat.uid !== uid) return `it is owned by uid ${stat.uid}, not by this process's uid ${uid}`;
  if ((stat.mode & SHARED_WRITE_BITS) !== 0) return `it is writable by group or others (mode ${describeMode(stat.mode)})`;
  return undefined;
}

/**
 * Prepare the default offline-storage directory, which lives under the shared temporary directory:
 * create it (and its parent, when we create that) with mode 0700, then check both are directories
 * owned by this user and not writable by group or others. Without `create`, a missing directory is
 * fine (resolves `false`). `uid` is the owner required (this process's); on platforms without uids
 * (Windows) it is `null` and only creation happens.
 *
 * @throws UnsafeDirectoryError naming the path, the reason and the fix when a check fails (another
 *   local user could plant files that we would send with our credential).
 */
export async function verifyPrivateDirectory(dir: string, create: boolean, uid: number | null = OWNER_UID): Promise<boolean> {
  const parent = path.dirname(dir);
  if (create) {
    await fs.promises.mkdir(parent, { recursive: true, mode: 0o700 });
    await fs.promises.mkdir(dir, { mode: 0o700 }).catch((e: unknown) => { if (errorCode(e) !== 'EEXIST') throw e; });
  }
  for (const candidate of [parent, dir]) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(candidate);
    } catch (e: unknown) {
      if (!create && errorCode(e) === 'ENOENT') return false;
      throw e;
    }
    if (uid === null) continue;
    const reason = unsafeReason(stat, uid);
    if (reason !== undefined) {
      throw new UnsafeDirectoryError(
        `offline storage directory ${candidate} is not private: ${reason}. Files another local user puts there would be ` +
          `sent with this process's credentials, so it is not used; remove it (it is recreated with mode 0700) or set ` +
          'the storageDirectory option to a directory only this user can write',
      );
    }
  }
  return true;
}
