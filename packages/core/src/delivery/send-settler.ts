import { createDiagnostics } from '../diag/diagnostics';
import type { ExporterError } from '../errors';
import type { RequestBody } from '../transport/transport-types';
import { applyStoreAction, type StoreCopy } from './apply-store-action';
import { deliveryLog } from './delivery-log';
import type { DeliveryObserver } from './delivery-observer';
import { settleOutcome, settleStoreResult, type SendOrigin, type SettledOutcome, type Settlement } from './settle-outcome';
import type { BodyStore, PutResult } from './store-types';

/** Builds a body of just the items at `indexes` (after a 206). */
export type Rebuild = (indexes: readonly number[]) => Promise<RequestBody>;

/** `ExporterError` as one line: `code: message`. */
export const describeError = (e: ExporterError): string => `${e.code}: ${e.message}`;

/** What a {@link SendSettler} works with. */
export interface SendSettlerContext {
  readonly store: BodyStore;
  /** Wakes the drain loop. */
  readonly kick: () => void;
  readonly observer?: DeliveryObserver;
  readonly now: () => number;
}

/**
 * Settle one send by the one rule ({@link settleOutcome}), carry out its store action, tell the
 * observer, and report the drops nobody else will. `attempted`: `false` when the body was queued
 * unsent. Returns the settlement and where the body's copy is now.
 */
export type SendSettler = (
  outcome: SettledOutcome, origin: SendOrigin, body: RequestBody, copy: StoreCopy, rebuild: Rebuild, attempted?: boolean,
) => Promise<{ settlement: Settlement; copy: StoreCopy }>;

/** Create the {@link SendSettler} of a delivery. */
export function createSendSettler(ctx: SendSettlerContext): SendSettler {
  const { store, kick, observer } = ctx;
  const visible = createDiagnostics({ logger: deliveryLog, nowMillis: ctx.now });
  const queue = async (body: RequestBody): Promise<PutResult> => {
    const put = await store.put(body);
    if (put.stored) kick();
    return put;
  };
  return async (outcome, origin, body, copy, rebuild, attempted = true) => {
    const decided = settleOutcome(outcome, origin, body.itemCount);
    const done = await applyStoreAction({ store, queue, kick }, decided.storeAction, copy, body, rebuild);
    const settlement = done.put ? settleStoreResult(decided, done.put, done.itemsQueued) : decided;
    try {
      observer?.settled({
        body, outcome, attempted, notQueued: settlement.receipt.dropped - decided.receipt.dropped, evicted: done.put?.evictedItems ?? 0,
      });
    } catch (e: unknown) {
      deliveryLog.debug(`delivery observer threw (ignored; the send is settled): ${String(e)}`);
    }
    for (const drop of settlement.drops) {
      visible.report({ causeKey: `drop:${describeError(drop.error)}`, level: 'error', message: `${drop.items} queued items dropped: ${describeError(drop.error)}` });
    }
    return { settlement, copy: done.copy };
  };
}
