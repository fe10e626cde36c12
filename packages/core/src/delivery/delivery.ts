import { setMaxListeners } from 'node:events';
import { createDiagnostics } from '../diag/diagnostics';
import { TransportError, type ExporterError } from '../errors';
import type { RequestBody, SendOutcome, Transport } from '../transport/transport-types';
import { applyStoreAction, NO_COPY, type StoreCopy } from './apply-store-action';
import { selectBodyItems } from './body-codec';
import { deliveryLog } from './delivery-log';
import type { DeliveryObserver } from './delivery-observer';
import { createDrainLoop } from './drain-loop';
import { startDrain, type ReplaySpreadPolicy } from './replay-spread';
import { createSendGate, DEFAULT_SEND_GATE_POLICY, noteOutcome, type SendGate, type SendGatePolicy } from './send-gate';
import { settleOutcome, settleStoreResult, UNANSWERED, type DeliveryReceipt, type SendOrigin, type SettledOutcome, type Settlement } from './settle-outcome';
import type { BodyStore, PutResult } from './store-types';
import { withDeadline, type DeadlineResult } from './with-deadline';

export type { DeliveryReceipt } from './settle-outcome';

/** Default number of sends in flight while draining. */
export const DEFAULT_MAX_CONCURRENT_SENDS = 4;
/** A fresh send that outlives its timeout by this much is treated as timed out (persisted). */
const SEND_GRACE_MILLIS = 1_000;

/** Options of {@link createDelivery}. */
export interface DeliveryOptions {
  /** Sends one body (usually the retrying HTTP transport). */
  readonly transport: Transport;
  /** Where bodies wait: the offline file store or the memory queue. */
  readonly store: BodyStore;
  /** Timeout of one send, one attempt (usually `config.exportTimeoutMillis`). */
  readonly sendTimeoutMillis: number;
  /** Sends in flight while draining (default 4). */
  readonly maxConcurrentSends?: number;
  /** Backoff settings (defaults: DESIGN.md section 5). */
  readonly gatePolicy?: SendGatePolicy;
  /**
   * Write each fresh body to the store before its first send and delete it after a 2xx, so a
   * `kill -9` during an export loses nothing (default false: one file write per export saved).
   */
  readonly persistBeforeSend?: boolean;
  /**
   * Spread the replay of a backlog found by {@link Delivery.start}: random start offset and paced
   * stored sends (the export pipeline passes `DEFAULT_REPLAY_SPREAD`; absent: drain at once).
   */
  readonly replaySpread?: ReplaySpreadPolicy;
  /** Told about every settled send (delivery statistics); absent: nobody counts. */
  readonly observer?: DeliveryObserver;
  /** Clock and randomness (tests). */
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Per-request options of {@link Delivery.send}. */
interface DeliverySendOptions {
  /**
   * Build a body of just the items at `indexes` (after a 206). The export pipeline passes one that
   * re-serializes the envelopes it kept; the default decodes the body.
   */
  readonly rebuild?: (indexes: readonly number[]) => Promise<RequestBody>;
}

/** Durable delivery: send now, queue what fails transiently, drain the queue when ingestion answers. */
export interface Delivery {
  /** Send one body now (or queue it while sending is paused); resolves, never rejects. */
  send(body: RequestBody, options?: DeliverySendOptions): Promise<DeliveryReceipt>;
  /** Start draining the backlog (call at startup); spread out when a backlog exists and `replaySpread` is set. */
  start(): void;
  /** Send the backlog until `deadlineTimestamp` (forceFlush/shutdown); honours server hints. */
  flush(deadlineTimestamp: number): Promise<void>;
  /** From now on, fresh sends still running at `deadlineTimestamp` are queued instead of awaited. */
  setDeadline(deadlineTimestamp: number): void;
  /** Stop the drain loop and close the store. */
  close(): Promise<void>;
  /** Sending state (backoff, pauses). */
  readonly gate: SendGate;
  /** The store in use. */
  readonly store: BodyStore;
}

type Rebuild = (indexes: readonly number[]) => Promise<RequestBody>;
const describe = (e: ExporterError): string => `${e.code}: ${e.message}`;

/**
 * Create a {@link Delivery}. Starts nothing until {@link Delivery.start} or the first send. Every
 * send, fresh, drained or answered after a deadline, is settled by {@link settleOutcome}.
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { transport, store, sendTimeoutMillis } = options;
  const now = options.now ?? Date.now;
  const gate = createSendGate(options.gatePolicy ?? DEFAULT_SEND_GATE_POLICY, now, options.random);
  const visible = createDiagnostics({ logger: deliveryLog, nowMillis: now });
  let deadlineTimestamp = Infinity;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadlineReached = new AbortController();
  setMaxListeners(Infinity, deadlineReached.signal); // one listener per fresh send in flight
  let closed = false;

  const safeSend = async (body: RequestBody, timeoutMillis: number): Promise<SendOutcome> => {
    try {
      return await transport.send(body, timeoutMillis);
    } catch (e: unknown) {
      // Transports resolve with outcomes; a rejection is a bug, but the items must survive it.
      deliveryLog.debug(`transport rejected (treated as retryable): ${String(e)}`);
      return { status: 'retryable', error: new TransportError('transport failed unexpectedly', {}, { cause: e }) };
    }
  };

  const note = (outcome: SendOutcome): void => {
    if (outcome.status === 'auth-failed') deliveryLog.debug(`${describe(outcome.error)} (telemetry is kept and retried with slow backoff)`);
    if (noteOutcome(gate, outcome)) drain.kick();
  };

  const queue = async (body: RequestBody): Promise<PutResult> => {
    const put = await store.put(body);
    if (put.stored) drain.kick();
    return put;
  };

  /** Settle one send by the one rule, carry out its store action, report what nobody else will. */
  const settle = async (
    outcome: SettledOutcome, origin: SendOrigin, body: RequestBody, copy: StoreCopy, rebuild: Rebuild, attempted = true,
  ): Promise<{ settlement: Settlement; copy: StoreCopy }> => {
    const decided = settleOutcome(outcome, origin, body.itemCount);
    const done = await applyStoreAction({ store, queue, kick: () => drain.kick() }, decided.storeAction, copy, body, rebuild);
    const settlement = done.put ? settleStoreResult(decided, done.put, done.itemsQueued) : decided;
    try {
      options.observer?.settled({
        body, outcome, attempted, notQueued: settlement.receipt.dropped - decided.receipt.dropped, evicted: done.put?.evictedItems ?? 0,
      });
    } catch (e: unknown) {
      deliveryLog.debug(`delivery observer threw (ignored; the send is settled): ${String(e)}`);
    }
    for (const drop of settlement.drops) {
      visible.report({ causeKey: `drop:${describe(drop.error)}`, level: 'error', message: `${drop.items} queued items dropped: ${describe(drop.error)}` });
    }
    return { settlement, copy: done.copy };
  };

  const drain = createDrainLoop({
    store, gate, sendTimeoutMillis, now,
    maxConcurrentSends: options.maxConcurrentSends ?? DEFAULT_MAX_CONCURRENT_SENDS,
    async sendStored(entry, timeoutMillis) {
      const outcome = await safeSend(entry.body, timeoutMillis);
      note(outcome);
      await settle(outcome, 'stored', entry.body, { kind: 'leased', entry }, (indexes) => selectBodyItems(entry.body, indexes));
    },
  });

  /** A body not sent at all (gate closed, probe busy, past the deadline): queued for the drain. */
  const queueUnsent = async (body: RequestBody, rebuild: Rebuild): Promise<DeliveryReceipt> => {
    const { settlement } = await settle(UNANSWERED, 'fresh', body, NO_COPY, rebuild, false);
    drain.kick();
    return settlement.receipt;
  };

  const writeAhead = async (body: RequestBody): Promise<StoreCopy> => {
    if (options.persistBeforeSend !== true) return NO_COPY;
    const ahead = await store.putLeased(body);
    return ahead.entry ? { kind: 'leased', entry: ahead.entry, put: ahead } : NO_COPY; // not written: sent anyway
  };

  /**
   * Send, waiting at most the send's timeout plus grace, or until the deadline. The wait's timer is
   * the one NOT unref()'d: it stands for an export the SDK is still waiting on; unref'd, a
   * short-lived process could exit mid-request and never queue the items.
   */
  const sendBeforeDeadline = async (body: RequestBody): Promise<{ result: DeadlineResult<SendOutcome>; late: Promise<SendOutcome> }> => {
    const timeoutMillis = Math.max(1, Math.min(sendTimeoutMillis, deadlineTimestamp - now()));
    const late = safeSend(body, timeoutMillis);
    return { result: await withDeadline(late, timeoutMillis + SEND_GRACE_MILLIS, { ref: true, signal: deadlineReached.signal }), late };
  };

  const sendFresh = async (body: RequestBody, rebuild: Rebuild): Promise<DeliveryReceipt> => {
    const probe = !gate.isHealthy();
    // Ingestion is failing and a probe is already in flight: wait for its verdict in the queue.
    if (probe && !gate.tryBeginProbe()) return queueUnsent(body, rebuild);
    let copy: StoreCopy;
    let sent: Awaited<ReturnType<typeof sendBeforeDeadline>>;
    try {
      copy = await writeAhead(body);
      sent = await sendBeforeDeadline(body);
      if (sent.result.done) note(sent.result.value);
    } finally {
      if (probe) gate.endProbe();
    }
    const settled = await settle(sent.result.done ? sent.result.value : UNANSWERED, 'fresh', body, copy, rebuild);
    if (!sent.result.done) {
      // Queued (or still leased) at the deadline: settle it again when the send ends after all.
      void sent.late.then((outcome) => settle(outcome, 'late', body, settled.copy, rebuild))
        .catch((e: unknown) => deliveryLog.debug(`late send settlement failed: ${String(e)}`));
    }
    return settled.settlement.receipt;
  };

  return {
    gate,
    store,
    async send(body, sendOptions = {}) {
      const rebuild = sendOptions.rebuild ?? ((indexes: readonly number[]) => selectBodyItems(body, indexes));
      if (closed || !gate.isOpen() || now() >= deadlineTimestamp) return queueUnsent(body, rebuild);
      return sendFresh(body, rebuild);
    },
    start() {
      startDrain(store, drain, options.replaySpread, { now, random: options.random ?? Math.random }, () => closed);
    },
    flush(deadline) {
      return drain.flush(deadline);
    },
    setDeadline(deadline) {
      deadlineTimestamp = Math.min(deadlineTimestamp, deadline);
      clearTimeout(deadlineTimer);
      deadlineTimer = setTimeout(() => deadlineReached.abort(), Math.max(0, deadlineTimestamp - now()));
      deadlineTimer.unref();
    },
    async close() {
      closed = true;
      drain.stop();
      await store.close();
    },
  };
}
