import { createDiagnostics } from '../diag/diagnostics';
import { PartialExportError, StorageError, TransportError, type ExporterError } from '../errors';
import type { RequestBody, SendOutcome, Transport } from '../transport/transport-types';
import { selectBodyItems } from './body-codec';
import { deliveryLog } from './delivery-log';
import { createDrainLoop } from './drain-loop';
import { createSendGate, DEFAULT_SEND_GATE_POLICY, type SendGate, type SendGatePolicy } from './send-gate';
import type { BodyStore, LeasedPut, PutResult, StoredRequest } from './store-types';

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
  /** Clock and randomness (tests). */
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Per-request options of {@link Delivery.send}. */
export interface DeliverySendOptions {
  /**
   * Build a body of just the items at `indexes` (after a 206). The export pipeline passes one that
   * re-serializes the envelopes it kept; the default decodes the body.
   */
  readonly rebuild?: (indexes: readonly number[]) => Promise<RequestBody>;
}

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

/** Durable delivery: send now, queue what fails transiently, drain the queue when ingestion answers. */
export interface Delivery {
  /** Send one body now (or queue it while sending is paused); resolves, never rejects. */
  send(body: RequestBody, options?: DeliverySendOptions): Promise<DeliveryReceipt>;
  /** Start draining the backlog (call at startup). */
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

const describe = (e: ExporterError): string => `${e.code}: ${e.message}`;

/** Create a {@link Delivery}. Starts nothing until {@link Delivery.start} or the first send. */
export function createDelivery(options: DeliveryOptions): Delivery {
  const { transport, store, sendTimeoutMillis } = options;
  const persistBeforeSend = options.persistBeforeSend === true;
  const now = options.now ?? Date.now;
  const gate = createSendGate(options.gatePolicy ?? DEFAULT_SEND_GATE_POLICY, now, options.random);
  const visible = createDiagnostics({ logger: deliveryLog, nowMillis: now });
  let deadlineTimestamp = Infinity;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadlineWaiters = new Set<() => void>();
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

  const persist = async (body: RequestBody): Promise<PutResult> => {
    const result = await store.put(body);
    if (result.stored) drain.kick();
    return result;
  };

  /** Receipt for items that were handed to the store. */
  const queuedReceipt = (body: RequestBody, put: PutResult, accepted = 0): DeliveryReceipt => {
    if (!put.stored) return { accepted, queued: 0, dropped: body.itemCount, error: put.error ?? new StorageError('could not queue items') };
    if (put.evictedItems > 0) {
      return { accepted, queued: body.itemCount, dropped: 0, error: new StorageError(`offline queue full: ${put.evictedItems} older items were evicted to keep these`) };
    }
    return { accepted, queued: body.itemCount, dropped: 0 };
  };

  // The transport's diagnostics make auth failures visible; here they are only traced.
  const logKept = (error: ExporterError): void => {
    deliveryLog.debug(`${describe(error)} (telemetry is kept and retried with slow backoff)`);
  };

  const reportDrop = (items: number, error: ExporterError): void => {
    visible.report({ causeKey: `drop:${describe(error)}`, level: 'error', message: `${items} queued items dropped: ${describe(error)}` });
  };

  /** Update the gate from an outcome; kick the drain when ingestion answers again. */
  const noteOutcome = (outcome: SendOutcome): void => {
    switch (outcome.status) {
      case 'success':
      case 'failure':
        if (gate.onAnswer()) drain.kick();
        return;
      case 'partial':
        if (outcome.retryIndexes.length > 0) gate.onRetryable(undefined, false);
        else if (gate.onAnswer()) drain.kick();
        return;
      case 'retryable':
        gate.onRetryable(outcome.retryAfterMillis, outcome.pause === true);
        return;
      case 'auth-failed':
        gate.onAuthFailed(outcome.retryAfterMillis);
        logKept(outcome.error);
        return;
    }
  };

  /** Settle a drained entry: delete after 2xx, release on failure, queue 206 retries. */
  const sendStored = async (entry: StoredRequest, timeoutMillis: number): Promise<void> => {
    const outcome = await safeSend(entry.body, timeoutMillis);
    noteOutcome(outcome);
    switch (outcome.status) {
      case 'success':
        await store.complete(entry);
        return;
      case 'partial': {
        if (outcome.retryIndexes.length > 0) {
          try {
            const put = await persist(await selectBodyItems(entry.body, outcome.retryIndexes));
            if (!put.stored) reportDrop(outcome.retryIndexes.length, put.error ?? new StorageError('could not queue items'));
          } catch (e: unknown) {
            deliveryLog.debug(`could not rebuild a 206 retry body: ${String(e)}`);
            await store.release(entry); // keep the whole body rather than lose the retriable items
            return;
          }
        }
        await store.complete(entry);
        if (outcome.dropped > 0) reportDrop(outcome.dropped, new PartialExportError(`ingestion refused ${outcome.dropped} items: ${outcome.reasons.join('; ')}`, outcome.accepted, outcome.dropped, outcome.reasons));
        return;
      }
      case 'failure':
        await store.complete(entry);
        reportDrop(entry.body.itemCount, outcome.error);
        return;
      case 'retryable':
      case 'auth-failed':
        await store.release(entry);
        return;
    }
  };

  const drain = createDrainLoop({
    store, gate, sendStored, sendTimeoutMillis, now,
    maxConcurrentSends: options.maxConcurrentSends ?? DEFAULT_MAX_CONCURRENT_SENDS,
  });

  /** The outcome of a fresh send, or `undefined` if the deadline came first. */
  const sendBeforeDeadline = async (body: RequestBody): Promise<{ outcome?: SendOutcome; late: Promise<SendOutcome> }> => {
    const timeoutMillis = Math.max(1, Math.min(sendTimeoutMillis, deadlineTimestamp - now()));
    const late = safeSend(body, timeoutMillis);
    let timer: NodeJS.Timeout | undefined;
    let waiter: (() => void) | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      // The one timer that is NOT unref()'d: it stands for an export the SDK is still waiting on,
      // lives at most the send's timeout plus grace, and is cleared as soon as the send settles.
      // Unref'd, a short-lived process could exit in the middle of the request (its timers are
      // unref'd), never call the export back and never queue its items.
      timer = setTimeout(() => resolve(undefined), timeoutMillis + SEND_GRACE_MILLIS);
      waiter = () => resolve(undefined);
      deadlineWaiters.add(waiter);
    });
    try {
      const outcome = await Promise.race([late, timedOut]);
      return outcome === undefined ? { late } : { outcome, late };
    } finally {
      clearTimeout(timer);
      if (waiter) deadlineWaiters.delete(waiter);
    }
  };

  /** A body was queued because its send outlived the deadline; settle the send when it ends. */
  const settleLate = (late: Promise<SendOutcome>, put: PutResult, rebuild: (indexes: readonly number[]) => Promise<RequestBody>): void => {
    void late.then(async (outcome) => {
      if (!put.stored || put.id === undefined) return;
      if (outcome.status === 'success' || outcome.status === 'failure') {
        await store.remove(put.id);
      } else if (outcome.status === 'partial' && (await store.remove(put.id)) && outcome.retryIndexes.length > 0) {
        await store.put(await rebuild(outcome.retryIndexes));
      }
    }).catch((e: unknown) => deliveryLog.debug(`late send settlement failed: ${String(e)}`));
  };

  /** Receipt of a fresh send answered 206: retriable items queued, the rest reported dropped. */
  const partialReceipt = async (
    body: RequestBody, outcome: Extract<SendOutcome, { status: 'partial' }>, rebuild: (indexes: readonly number[]) => Promise<RequestBody>,
  ): Promise<DeliveryReceipt> => {
    let queued = 0;
    let dropped = outcome.dropped;
    let error: ExporterError | undefined;
    if (outcome.retryIndexes.length > 0) {
      let put: PutResult;
      try {
        put = await persist(await rebuild(outcome.retryIndexes));
      } catch (e: unknown) {
        put = { stored: false, evictedItems: 0, error: new StorageError('could not rebuild the 206 retry body', { cause: e }) };
      }
      if (put.stored) queued = outcome.retryIndexes.length;
      else { dropped += outcome.retryIndexes.length; error = put.error; }
    }
    if (outcome.dropped > 0) {
      error = new PartialExportError(
        `ingestion accepted ${outcome.accepted} of ${body.itemCount} items; ${outcome.dropped} dropped (${outcome.reasons.join('; ') || 'no reason given'}); ${queued} queued for retry`,
        outcome.accepted, dropped, outcome.reasons,
      );
    }
    return error ? { accepted: outcome.accepted, queued, dropped, error } : { accepted: outcome.accepted, queued, dropped };
  };

  /** Receipt of a fresh send that ingestion answered for good (2xx, 206, refused). */
  const answeredReceipt = (
    body: RequestBody, outcome: Extract<SendOutcome, { status: 'success' | 'partial' | 'failure' }>,
    rebuild: (indexes: readonly number[]) => Promise<RequestBody>,
  ): Promise<DeliveryReceipt> | DeliveryReceipt => {
    switch (outcome.status) {
      case 'success':
        return { accepted: body.itemCount, queued: 0, dropped: 0 };
      case 'partial':
        return partialReceipt(body, outcome, rebuild);
      case 'failure':
        return { accepted: 0, queued: 0, dropped: body.itemCount, error: outcome.error };
    }
  };

  /** A written-ahead body whose send outlived the deadline: keep the lease until the send ends. */
  const settleLateLeased = (late: Promise<SendOutcome>, entry: StoredRequest, rebuild: (indexes: readonly number[]) => Promise<RequestBody>): void => {
    void late.then(async (outcome) => {
      if (outcome.status === 'success' || outcome.status === 'failure') {
        await store.complete(entry);
      } else if (outcome.status === 'partial') {
        if (outcome.retryIndexes.length > 0) await store.put(await rebuild(outcome.retryIndexes));
        await store.complete(entry);
      } else {
        await store.release(entry);
      }
    }).catch((e: unknown) => deliveryLog.debug(`late send settlement failed: ${String(e)}`));
  };

  return {
    gate,
    store,
    async send(body, sendOptions = {}) {
      const rebuild = sendOptions.rebuild ?? ((indexes: readonly number[]) => selectBodyItems(body, indexes));
      if (closed || !gate.isOpen() || now() >= deadlineTimestamp) return queuedReceipt(body, await persist(body));
      const probe = !gate.isHealthy();
      if (probe && !gate.tryBeginProbe()) {
        // Ingestion is failing and a probe is already in flight: wait for its verdict in the queue.
        return queuedReceipt(body, await persist(body));
      }
      let ahead: LeasedPut | undefined;
      let sent: { outcome?: SendOutcome; late: Promise<SendOutcome> };
      try {
        if (persistBeforeSend) {
          ahead = await store.putLeased(body);
          if (!ahead.entry) ahead = undefined; // could not write ahead: send anyway, queue on failure as usual
        }
        sent = await sendBeforeDeadline(body);
        if (sent.outcome) noteOutcome(sent.outcome);
      } finally {
        if (probe) gate.endProbe();
      }
      const { outcome, late } = sent;
      if (!outcome) {
        if (ahead?.entry) {
          settleLateLeased(late, ahead.entry, rebuild);
          return queuedReceipt(body, ahead);
        }
        const put = await store.put(body);
        settleLate(late, put, rebuild);
        return queuedReceipt(body, put);
      }
      if (outcome.status === 'retryable' || outcome.status === 'auth-failed') {
        // Kept: queued and retried from the store; the transport already logged the cause once.
        if (!ahead?.entry) return queuedReceipt(body, await persist(body));
        await store.release(ahead.entry); // written ahead: already queued, hand it to the drain
        drain.kick();
        return queuedReceipt(body, ahead);
      }
      const receipt = await answeredReceipt(body, outcome, rebuild);
      if (ahead?.entry) await store.complete(ahead.entry); // written ahead: answered, so no longer queued
      return receipt;
    },
    start() {
      drain.kick();
    },
    flush(deadline) {
      return drain.flush(deadline);
    },
    setDeadline(deadline) {
      deadlineTimestamp = Math.min(deadlineTimestamp, deadline);
      if (deadlineTimer) clearTimeout(deadlineTimer);
      deadlineTimer = setTimeout(() => {
        for (const wake of [...deadlineWaiters]) wake();
      }, Math.max(0, deadlineTimestamp - now()));
      deadlineTimer.unref();
    },
    async close() {
      closed = true;
      drain.stop();
      await store.close();
    },
  };
}
