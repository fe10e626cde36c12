import type { RequestBody, SendOutcome, Transport } from '../transport/transport-types';
import { NO_COPY, type StoreCopy } from './apply-store-action';
import { selectBodyItems } from './body-codec';
import { deliveryLog } from './delivery-log';
import type { DeliveryObserver } from './delivery-observer';
import { createDrainLoop } from './drain-loop';
import { sendFresh, type FreshSendContext } from './fresh-send';
import { startDrain, type ReplaySpreadPolicy } from './replay-spread';
import { safeSend } from './safe-send';
import { createSendDeadline } from './send-deadline';
import { createSendGate, DEFAULT_SEND_GATE_POLICY, noteOutcome, type SendGate, type SendGatePolicy } from './send-gate';
import { createSendSettler, describeError, type Rebuild } from './send-settler';
import { UNANSWERED, type DeliveryReceipt } from './settle-outcome';
import type { BodyStore, StoredRequest } from './store-types';

export type { DeliveryReceipt } from './settle-outcome';

/** Default number of sends in flight while draining. */
export const DEFAULT_MAX_CONCURRENT_SENDS = 4;

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

const leased = (entry: StoredRequest): StoreCopy => ({ kind: 'leased', entry });

/**
 * Create a {@link Delivery}. Starts nothing until {@link Delivery.start} or the first send. Every
 * send, fresh, drained or answered after a deadline, is settled by one rule (`settleOutcome`, via {@link createSendSettler}).
 */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { transport, store, sendTimeoutMillis } = options;
  const now = options.now ?? Date.now;
  const gate = createSendGate(options.gatePolicy ?? DEFAULT_SEND_GATE_POLICY, now, options.random);
  const deadline = createSendDeadline(now);
  let closed = false;
  const kick = (): void => drain.kick();
  const settle = createSendSettler({ store, kick, observer: options.observer, now });

  const note = (outcome: SendOutcome): void => {
    if (outcome.status === 'auth-failed') deliveryLog.debug(`${describeError(outcome.error)} (telemetry is kept and retried with slow backoff)`);
    if (noteOutcome(gate, outcome)) drain.kick();
  };

  const drain = createDrainLoop({
    store, gate, sendTimeoutMillis, now,
    maxConcurrentSends: options.maxConcurrentSends ?? DEFAULT_MAX_CONCURRENT_SENDS,
    async sendStored(entry, timeoutMillis) {
      const outcome = await safeSend(transport, entry.body, timeoutMillis);
      note(outcome);
      await settle(outcome, 'stored', entry.body, leased(entry), (indexes) => selectBodyItems(entry.body, indexes));
    },
  });

  /** A body not sent at all (gate closed, probe busy, past the deadline): queued for the drain. */
  const queueUnsent = async (body: RequestBody, rebuild: Rebuild): Promise<DeliveryReceipt> => {
    const { settlement } = await settle(UNANSWERED, 'fresh', body, NO_COPY, rebuild, false);
    drain.kick();
    return settlement.receipt;
  };
  const fresh: FreshSendContext = {
    gate, store, sendTimeoutMillis, deadline, now, note, settle, queueUnsent,
    persistBeforeSend: options.persistBeforeSend === true,
    send: (body, timeoutMillis) => safeSend(transport, body, timeoutMillis),
  };

  return {
    gate,
    store,
    async send(body, sendOptions = {}) {
      const rebuild = sendOptions.rebuild ?? ((indexes: readonly number[]) => selectBodyItems(body, indexes));
      if (closed || !gate.isOpen() || now() >= deadline.timestamp()) return queueUnsent(body, rebuild);
      return sendFresh(fresh, body, rebuild);
    },
    start() {
      startDrain(store, drain, options.replaySpread, { now, random: options.random ?? Math.random }, () => closed);
    },
    flush(deadlineTimestamp) {
      return drain.flush(deadlineTimestamp);
    },
    setDeadline(deadlineTimestamp) {
      deadline.set(deadlineTimestamp);
    },
    async close() {
      closed = true;
      drain.stop();
      await store.close();
    },
  };
}
