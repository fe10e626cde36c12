import * as fs from 'node:fs';
import type { Diagnostics } from '../diag/diagnostics';
import type { EntryProblem } from './entry-problem';
import type { StoreDirectory } from './store-directory';
import { errorCode } from './store-directory';

/** Prefix of an entry moved aside: matches no entry, lease or temp name, so it is never read again. */
const ASIDE_PREFIX = '.aside-';

/**
 * Take a bad entry out of the queue without reading it: remove it (unlinking a link or node never
 * touches its target) or move it aside. One rate-limited warning per cause. Resolves `false` when
 * the entry could be neither removed nor moved (the caller then skips it for the process's life).
 */
export async function setAsideEntry(directory: StoreDirectory, name: string, itemCount: number, problem: EntryProblem, warnings: Diagnostics): Promise<boolean> {
  const done = problem.action === 'remove' ? 'removed' : `moved aside to ${ASIDE_PREFIX}${name}`;
  try {
    if (problem.action === 'remove') await fs.promises.unlink(directory.at(name));
    else await fs.promises.rename(directory.at(name), directory.at(`${ASIDE_PREFIX}${name}`));
  } catch (e: unknown) {
    if (errorCode(e) === 'ENOENT') return true;
    warnings.report({
      causeKey: 'offline-store:bad-entry-stuck', level: 'warn',
      message: `offline store ${directory.dir}: ${name} is not a queued request (${problem.reason}) and could not be ${problem.action === 'remove' ? 'removed' : 'moved aside'} (${errorCode(e) ?? String(e)}); it is skipped and never sent`,
    });
    return false;
  }
  warnings.report({
    causeKey: 'offline-store:bad-entry', level: 'warn',
    message: `offline store ${directory.dir}: ${name} is not a queued request the store wrote (${problem.reason}); ${done}, never sent (the ${itemCount} items its name declares are not delivered)`,
  });
  return true;
}
