import { EmulatorError } from '../errors';
import type { PageQuery } from './store';

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Refuses a page query whose `offset` or `limit` is not a whole number of at least 0 (callers
 * clamp what a user typed; a store never guesses). Throws `EmulatorError` with code `EMU_PAGE`.
 */
export function checkPageQuery(query: PageQuery): void {
  if (!isCount(query.offset)) throw new EmulatorError('EMU_PAGE', `a page offset must be a whole number of at least 0, not ${String(query.offset)}`);
  if (!isCount(query.limit)) throw new EmulatorError('EMU_PAGE', `a page limit must be a whole number of at least 0, not ${String(query.limit)}`);
}
