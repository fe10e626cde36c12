import type { RequestBody, SendOutcome } from '../transport/transport-types';
import { NO_COPY, type StoreCopy } from './apply-store-action';
import { deliveryLog } from './delivery-log';
import type { SendDeadline } from './send-deadline';
import type { SendGate } from './send-gate';
import type { Rebuild, SendSettler } from './send-settler';
import { UNANSWERED, type DeliveryReceipt } from './settle-outcome';
import type { BodyStore } from './store-types';
import { withDeadline, type DeadlineResult } from './with-deadline';

/** A fresh send that outlives its timeout by this much is treated as timed out (persisted). */
const SEND_GRACE_MILLIS = 1_000;

/** What a fresh send works with (one per delivery). */
export interface FreshSendContext {
  readonly gate: SendGate;
  readonly store: BodyStore;
  readonly sendTimeoutMillis: number;
  readonly deadline: SendDeadline;
  readonly now: () => number;
  /** Write each body to the store (leased) before its first send. */
  readonly persistBeforeSend: boolean;
  /** Send one body; resolves, never rejects. */
  readonly send: (body: RequestBody, timeoutMillis: number) => Promise<SendOutcome>;
  /** Tell the gate (and the drain) what an answer says about ingestion. */
  readonly note: (outcome: SendOutcome) => void;
  readonly settle: SendSettler;
  /** Queue a body not sent at all, for the drain. */
  readonly queueUnsent: (body: RequestBody, rebuild: Rebuild) => Promise<DeliveryReceipt>;
}

interface DeadlineSend {
  readonly result: DeadlineResult<SendOutcome>;
  /** The send itself, still settling after a deadline came first. */
  readonly late: Promise<SendOutcome>;
}

async function writeAhead(ctx: FreshSendContext, body: RequestBody): Promise<StoreCopy> {
  if (!ctx.persistBeforeSend) return NO_COPY;
  const ahead = await ctx.store.putLeased(body);
  return ahead.entry ? { kind: 'leased', entry: ahead.entry, put: ahead } : NO_COPY; // not written: sent anyway
}

/**
 * Send, waiting at most the send's timeout plus grace, or until the deadline. The wait's timer is
 * the one NOT unref()'d: it stands for an export the SDK is still waiting on; unref'd, a
 * short-lived process could exit mid-request and never queue the items.
 */
async function sendBeforeDeadline(ctx: FreshSendContext, body: RequestBody): Promise<DeadlineSend> {
  const timeoutMillis = Math.max(1, Math.min(ctx.sendTimeoutMillis, ctx.deadline.timestamp() - ctx.now()));
  const late = ctx.send(body, timeoutMillis);
  return { result: await withDeadline(late, timeoutMillis + SEND_GRACE_MILLIS, { ref: true, signal: ctx.deadline.signal }), late };
}

/**
 * Send a fresh body now (the probe while ingestion is failing, or queued when another probe is in
 * flight) and settle it; a send still running at its wait's end is settled again when it ends.
 */
export async function sendFresh(ctx: FreshSendContext, body: RequestBody, rebuild: Rebuild): Promise<DeliveryReceipt> {
  const { gate } = ctx;
  const probe = !gate.isHealthy();
  // Ingestion is failing and a probe is already in flight: wait for its verdict in the queue.
  if (probe && !gate.tryBeginProbe()) return ctx.queueUnsent(body, rebuild);
  let copy: StoreCopy;
  let sent: DeadlineSend;
  try {
    copy = await writeAhead(ctx, body);
    sent = await sendBeforeDeadline(ctx, body);
    if (sent.result.done) ctx.note(sent.result.value);
  } finally {
    if (probe) gate.endProbe();
  }
  const settled = await ctx.settle(sent.result.done ? sent.result.value : UNANSWERED, 'fresh', body, copy, rebuild);
  if (!sent.result.done) {
    // Queued (or still leased) at the deadline: settle it again when the send ends after all.
    void sent.late.then((outcome) => ctx.settle(outcome, 'late', body, settled.copy, rebuild))
      .catch((e: unknown) => deliveryLog.debug(`late send settlement failed: ${String(e)}`));
  }
  return settled.settlement.receipt;
}
