import type { SettledSend } from '../../delivery/delivery-observer';
import { AuthError, TransportError, type ExporterError } from '../../errors';
import { CLIENT_CODE } from './status-reason';

/** One SDK Stats count: success, or dropped/retried with its code. */
export type StatsEvent =
  | { readonly metric: 'success' }
  | { readonly metric: 'dropped' | 'retry'; readonly code: string };

/** Items of the body (by index, or all of them) that one event counts. */
interface CountedItems {
  readonly event: StatsEvent;
  readonly indexes: readonly number[] | 'all';
}

/** What one settled send counts: items of its body, and drops of items not in it (evicted older entries). */
export interface SendCounts {
  readonly items: readonly CountedItems[];
  readonly elsewhere: readonly { readonly event: StatsEvent; readonly count: number }[];
}

const SUCCESS: StatsEvent = Object.freeze({ metric: 'success' });
const NOT_QUEUED: StatsEvent = Object.freeze({ metric: 'dropped', code: CLIENT_CODE.persistenceCapacity });

/** The code of a failed send: ingestion's status, a timeout, or a client exception (network, credential). */
function codeOfError(error: ExporterError | undefined): string {
  if (error instanceof TransportError) {
    if (error.context.timedOut === true) return CLIENT_CODE.timeout;
    if (error.statusCode !== undefined) return String(error.statusCode);
  }
  if (error instanceof AuthError && error.statusCode !== undefined) return String(error.statusCode);
  return CLIENT_CODE.exception;
}

/** Items kept for another attempt count as retried; when the store could not queue them, as dropped. */
function keptOrDropped(code: string, indexes: readonly number[] | 'all', notQueued: number): CountedItems {
  return { event: notQueued > 0 ? NOT_QUEUED : { metric: 'retry', code }, indexes };
}

/** A 206: accepted items succeed, refused ones are dropped with their item status, retried ones by theirs. */
function countPartial(outcome: Extract<SettledSend['outcome'], { status: 'partial' }>, itemCount: number, notQueued: number): CountedItems[] {
  const counted: CountedItems[] = [];
  const byCode = new Map<string, number[]>();
  outcome.retryIndexes.forEach((index, i) => {
    const code = String(outcome.retryStatusCodes?.[i] ?? 206);
    byCode.set(code, [...(byCode.get(code) ?? []), index]);
  });
  for (const [code, indexes] of byCode) counted.push(keptOrDropped(code, indexes, notQueued));
  const dropCodes = new Map<string, number[]>();
  for (const item of outcome.droppedItems ?? []) {
    const code = item.statusCode !== undefined ? String(item.statusCode) : CLIENT_CODE.unknown;
    dropCodes.set(code, [...(dropCodes.get(code) ?? []), item.index]);
  }
  const named = new Set([...outcome.retryIndexes, ...(outcome.droppedItems ?? []).map((d) => d.index)]);
  const rest = Array.from({ length: itemCount }, (_, i) => i).filter((i) => !named.has(i));
  // Refused without an index: which ones is unknown, so the last of the rest are counted as those.
  const unnamed = Math.max(0, outcome.dropped - (outcome.droppedItems?.length ?? 0));
  if (unnamed > 0) dropCodes.set('206', [...(dropCodes.get('206') ?? []), ...rest.slice(rest.length - unnamed)]);
  for (const [code, indexes] of dropCodes) counted.push({ event: { metric: 'dropped', code }, indexes });
  counted.push({ event: SUCCESS, indexes: rest.slice(0, rest.length - unnamed) });
  return counted;
}

/** The items of the body one settled send counts, by the same outcome delivery settled it with. Pure. */
function countBodyItems(send: Omit<SettledSend, 'body'>, itemCount: number): CountedItems[] {
  const { outcome, notQueued } = send;
  switch (outcome.status) {
    case 'success':
      return [{ event: SUCCESS, indexes: 'all' }];
    case 'failure':
      return [{ event: { metric: 'dropped', code: codeOfError(outcome.error) }, indexes: 'all' }];
    case 'retryable':
    case 'auth-failed':
      return [keptOrDropped(codeOfError(outcome.error), 'all', notQueued)];
    case 'partial':
      return countPartial(outcome, itemCount, notQueued);
    case 'unanswered':
      // Sent and cut off by the deadline: a timed-out attempt. Queued unsent (gate closed): no attempt, no count.
      if (send.attempted) return [keptOrDropped(CLIENT_CODE.timeout, 'all', notQueued)];
      return notQueued > 0 ? [{ event: NOT_QUEUED, indexes: 'all' }] : [];
  }
}

/**
 * SDK Stats of one settled send (docs/sdk-stats.md): accepted items are successes; items kept for
 * another attempt are retries (an attempt, counted each time); items refused for good, or that the
 * store could not keep, are dropped, as are older entries it evicted. Pure, table-tested.
 */
export function countSettledSend(send: Omit<SettledSend, 'body'>, itemCount: number): SendCounts {
  return {
    items: countBodyItems(send, itemCount).filter((c) => c.indexes === 'all' || c.indexes.length > 0),
    elsewhere: send.evicted > 0 ? [{ event: NOT_QUEUED, count: send.evicted }] : [],
  };
}
