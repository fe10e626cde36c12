import * as fs from 'node:fs';
import { entryProblem, PROCESS_UID, type EntryProblem } from './entry-problem';
import type { EntryName } from './file-names';

/**
 * Open flags of a queued file: read-only, never through a symbolic link (where the platform has
 * `O_NOFOLLOW`), and never blocking on a FIFO (`O_NONBLOCK`) should one be swapped in after `lstat`.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** What reading one leased file gave. */
export type ReadEntryResult =
  | { readonly kind: 'read'; readonly data: Uint8Array }
  | { readonly kind: 'gone' }
  | { readonly kind: 'bad'; readonly problem: EntryProblem };

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * Read the body of a leased file, never more than `maxBytes`: the size comes from the open
 * descriptor (`fstat`) and must be the size the name declares before a byte is read; the bytes are
 * read into a buffer of exactly that size. Anything else is `bad` with what to do about it.
 */
export async function readEntryFile(file: string, entry: EntryName, maxBytes: number): Promise<ReadEntryResult> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch (e: unknown) {
    const code = errorCode(e);
    if (code === 'ENOENT') return { kind: 'gone' };
    if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'bad', problem: { reason: 'it is a symbolic link', action: 'remove' } };
    return { kind: 'bad', problem: { reason: `it cannot be opened (${code ?? String(e)})`, action: 'move-aside' } };
  }
  try {
    const stat = await handle.stat();
    const problem = entryProblem(stat, entry, maxBytes, PROCESS_UID);
    if (problem) return { kind: 'bad', problem };
    const data = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < data.byteLength) {
      const { bytesRead } = await handle.read(data, filled, data.byteLength - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled !== entry.bytes) return { kind: 'bad', problem: { reason: `it ends after ${filled} bytes, its name says ${entry.bytes}`, action: 'remove' } };
    return { kind: 'read', data: new Uint8Array(data.buffer, data.byteOffset, filled) };
  } catch (e: unknown) {
    return { kind: 'bad', problem: { reason: `it cannot be read (${errorCode(e) ?? String(e)})`, action: 'move-aside' } };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
