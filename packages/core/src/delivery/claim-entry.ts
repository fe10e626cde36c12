import * as fs from 'node:fs';
import { deliveryLog } from './delivery-log';
import { entryProblem, PROCESS_UID, type EntryProblem } from './entry-problem';
import { describeEviction, evictionReason } from './eviction-bounds';
import type { EntryName } from './file-names';
import type { FileStoreContext } from './file-store-context';
import { formatLeaseName } from './lease';
import { readEntryFile } from './read-entry-file';
import { setAsideEntry } from './set-aside-entry';
import { errorCode } from './store-directory';
import type { StoredRequest } from './store-types';

/**
 * Lease one listed entry (atomic rename to a lease name) and read it safely; `undefined` if it is
 * gone (another process took it), expired (deleted and reported) or not a body the store wrote
 * (removed or moved aside, never read whole). An entry that fails otherwise is skipped from then on.
 */
export async function claimEntry(context: FileStoreContext, entry: EntryName): Promise<StoredRequest | undefined> {
  const { directory, storage, maxEntryBytes, skipped } = context;
  if (evictionReason(entry, 0, storage, context.now()) === 'expired') {
    if (await directory.unlinkQuietly(entry.name)) context.evictions.report(entry.itemCount, 1, describeEviction('expired', storage));
    return undefined;
  }
  const stat = await fs.promises.lstat(directory.at(entry.name)).catch((e: unknown) => {
    if (errorCode(e) !== 'ENOENT') skipped.add(entry.name); // ENOENT: claimed by another process, which may release it
    return undefined;
  });
  if (stat === undefined) return undefined;
  const problem = entryProblem(stat, entry, maxEntryBytes, PROCESS_UID);
  if (problem) return setAside(context, entry.name, entry, problem);
  const leaseName = formatLeaseName(entry.name, context.now() + context.leaseMillis);
  try {
    await fs.promises.rename(directory.at(entry.name), directory.at(leaseName));
  } catch (e: unknown) {
    if (errorCode(e) !== 'ENOENT') { skipped.add(entry.name); deliveryLog.debug(`offline store: could not claim ${entry.name}: ${errorCode(e) ?? String(e)}`); }
    return undefined;
  }
  const read = await readEntryFile(directory.at(leaseName), entry, maxEntryBytes);
  if (read.kind === 'gone') return undefined;
  if (read.kind === 'bad') return setAside(context, leaseName, entry, read.problem);
  context.held.set(entry.name, directory.at(leaseName));
  return { id: entry.name, body: { data: read.data, gzip: entry.gzip, itemCount: entry.itemCount }, createdTimestamp: entry.createdTimestamp };
}

/** Take a bad entry (`name`: the entry or its lease) out of the queue; skip it if that fails. */
async function setAside(context: FileStoreContext, name: string, entry: EntryName, problem: EntryProblem): Promise<undefined> {
  if (!(await setAsideEntry(context.directory, name, entry.itemCount, problem, context.warnings))) context.skipped.add(entry.name);
  return undefined;
}
