import { PartialExportError, StorageError, type ExporterError } from '../errors';
import type { SendOutcome } from '../transport/transport-types';
import type { PutResult } from './store-types';

/**
 * What became of the items of one body. `error` is set when the export must report FAILED:
 * something was dropped, or a visible auth/config failure (the items are still kept).
 */
export interface DeliveryReceipt {
  readonly accepted: number;
  readonly queued: number;
  readonly dropped: number;
  readonly error?: ExporterError;
}

/**
 * Where the settled send came from: `fresh` (an export waits for its receipt), `stored` (drained
 * from the store, leased), `late` (its export already got a queued receipt at a deadline).
 */
export type SendOrigin = 'fresh' | 'stored' | 'late';

/** No answer: the body was not sent (gate closed, probe busy, after the deadline) or the deadline came first. */
export const UNANSWERED = Object.freeze({ status: 'unanswered' as const });
/** An outcome to settle: a transport outcome, or {@link UNANSWERED}. */
export type SettledOutcome = SendOutcome | typeof UNANSWERED;

/**
 * What to do with the body in the store. `forget`: answered for good, delete any copy. `keep`:
 * every item is kept, queue the body (or release its lease, or leave its queued copy). `hold`: not
 * answered yet, queue the body, but a copy leased to the send in flight stays leased until the late
 * answer settles it (never handed to the drain twice). `retry`: queue only the items at `indexes`,
 * delete the rest.
 */
export type StoreAction =
  | { readonly kind: 'forget' }
  | { readonly kind: 'keep' }
  | { readonly kind: 'hold' }
  | { readonly kind: 'retry'; readonly indexes: readonly number[] };

/** Items dropped for good, with why (reported once in a rate-limited line when nobody waits for a receipt). */
interface Drop {
  readonly items: number;
  readonly error: ExporterError;
}

/** The one decision about a settled send (DESIGN.md sections 5 and 6). */
export interface Settlement {
  readonly origin: SendOrigin;
  readonly storeAction: StoreAction;
  /** What became of the items, assuming the store action succeeds (see {@link settleStoreResult}); a `fresh` export reports it. */
  readonly receipt: DeliveryReceipt;
  /** For `stored` and `late` sends: drops to report in a log line, since no export waits for their receipt. */
  readonly drops: readonly Drop[];
}

const FORGET: StoreAction = Object.freeze({ kind: 'forget' });
const KEEP: StoreAction = Object.freeze({ kind: 'keep' });
const HOLD: StoreAction = Object.freeze({ kind: 'hold' });

/** The error of a 206 that dropped `dropped` items. */
function partialError(accepted: number, itemCount: number, dropped: number, reasons: readonly string[]): PartialExportError {
  return new PartialExportError(
    `ingestion accepted ${accepted} of ${itemCount} items; ${dropped} dropped (${reasons.join('; ') || 'no reason given'})`,
    accepted, dropped, reasons,
  );
}

/** A fresh send's export reports the receipt; any other origin reports what it dropped in a log line instead. */
function decide(origin: SendOrigin, storeAction: StoreAction, receipt: DeliveryReceipt): Settlement {
  const drops = origin !== 'fresh' && receipt.dropped > 0 && receipt.error ? [{ items: receipt.dropped, error: receipt.error }] : [];
  return { origin, storeAction, receipt, drops };
}

/**
 * Settle one send: what the store does with the body, the export's receipt (fresh) or the drops to
 * report (stored, late). Pure: every path (fresh, write-ahead, drained, late) obeys it.
 */
export function settleOutcome(outcome: SettledOutcome, origin: SendOrigin, itemCount: number): Settlement {
  switch (outcome.status) {
    case 'success':
      return decide(origin, FORGET, { accepted: itemCount, queued: 0, dropped: 0 });
    case 'failure':
      return decide(origin, FORGET, { accepted: 0, queued: 0, dropped: itemCount, error: outcome.error });
    case 'partial': {
      const retry = outcome.retryIndexes.length;
      const action: StoreAction = retry > 0 ? { kind: 'retry', indexes: outcome.retryIndexes } : FORGET;
      const counts = { accepted: outcome.accepted, queued: retry, dropped: outcome.dropped };
      return decide(origin, action, outcome.dropped > 0 ? { ...counts, error: partialError(outcome.accepted, itemCount, outcome.dropped, outcome.reasons) } : counts);
    }
    case 'retryable':
    case 'auth-failed':
      // Kept: retried from the store; the transport already made an auth cause visible.
      return decide(origin, KEEP, { accepted: 0, queued: itemCount, dropped: 0 });
    case 'unanswered':
      return decide(origin, origin === 'fresh' ? HOLD : KEEP, { accepted: 0, queued: itemCount, dropped: 0 });
  }
}

/**
 * Amend a settlement with what the store did when asked to queue `itemsQueued` items: items it
 * could not queue are dropped (the receipt says so, or a drop is reported); items it queued by
 * evicting older ones make a fresh receipt FAILED (the store logs every eviction for all origins).
 */
export function settleStoreResult(settlement: Settlement, put: PutResult, itemsQueued: number): Settlement {
  const { receipt } = settlement;
  if (!put.stored) {
    const error = put.error ?? new StorageError(`could not queue ${itemsQueued} items`);
    const dropped = receipt.dropped + itemsQueued;
    const kept = receipt.error instanceof PartialExportError
      ? partialError(receipt.accepted, receipt.accepted + receipt.queued + receipt.dropped, dropped, receipt.error.reasons)
      : error;
    const drops = settlement.origin === 'fresh' ? [] : [...settlement.drops, { items: itemsQueued, error }];
    return { ...settlement, receipt: { accepted: receipt.accepted, queued: receipt.queued - itemsQueued, dropped, error: kept }, drops };
  }
  if (put.evictedItems > 0 && settlement.origin === 'fresh' && !receipt.error) {
    return { ...settlement, receipt: { ...receipt, error: new StorageError(`offline queue full: ${put.evictedItems} older items were evicted to keep these`) } };
  }
  return settlement;
}
