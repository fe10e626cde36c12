import { createSendPacer, type SendPacer } from './replay-spread';
import type { SendGate } from './send-gate';
import { withDeadline } from './with-deadline';
import type { BodyStore, StoredRequest } from './store-types';

/** Why a pass ended: store empty, gate closed (or flush limit), or another probe in flight. */
type PassEnd = 'exhausted' | 'blocked' | 'probe-busy';

/** Below this much time left before a deadline, a flush starts no new send. */
const MIN_FLUSH_SEND_MILLIS = 50;

/** Options of {@link createDrainLoop}. */
export interface DrainLoopOptions {
  readonly store: BodyStore;
  readonly gate: SendGate;
  /** Sends in flight at most (default 4). */
  readonly maxConcurrentSends: number;
  /** Timeout of one send. */
  readonly sendTimeoutMillis: number;
  /** Send one leased entry and settle it (complete/release); resolves, never rejects. */
  readonly sendStored: (entry: StoredRequest, timeoutMillis: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Sends the backlog: back to back while ingestion accepts (no sleep between files), with at most
 * `maxConcurrentSends` in flight; stops at the first failure and sleeps until the gate opens
 * (one unref'd timer, never a spin). Idle (no timer) when the store is empty.
 */
export interface DrainLoop {
  /** Drain now if the gate is open, else when it opens (startup, recovery, newly queued work). */
  kick(): void;
  /** Send the backlog until `deadlineTimestamp`, ignoring our own backoff but not server hints. */
  flush(deadlineTimestamp: number): Promise<void>;
  /**
   * Replay a startup backlog spread out: no stored send before `startTimestamp`, then stored sends
   * start at most once per `minSendIntervalMillis` until a pass empties the store (flushes are
   * never paced: shutdown still sends what it can before its deadline).
   */
  replay(startTimestamp: number, minSendIntervalMillis: number): void;
  /** `true` while a pass is running or scheduled. */
  isActive(): boolean;
  /** No more passes; pending timer cleared. */
  stop(): void;
}

/** Create a {@link DrainLoop}. */
export function createDrainLoop(options: DrainLoopOptions): DrainLoop {
  const { store, gate, maxConcurrentSends, sendTimeoutMillis, sendStored } = options;
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let timerTimestamp = Infinity;
  let notBeforeTimestamp = -Infinity;
  let pacer: SendPacer | undefined;

  const sleep = (millis: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, millis).unref(); });
  /** While a startup replay is paced, wait for this worker's slot; false when sending must stop meanwhile. */
  const awaitSlot = async (paced: boolean, canSend: () => boolean): Promise<boolean> => {
    const waitMillis = paced && pacer ? pacer.nextWaitMillis() : 0;
    if (waitMillis > 0) await sleep(waitMillis);
    return canSend();
  };

  /**
   * One pass: while ingestion is failing, one probe send first (never a burst at a sick service);
   * then workers claim and send until `canSend` says no or the store is empty.
   */
  const pass = async (canSend: () => boolean, timeoutFor: () => number, paced: boolean): Promise<PassEnd> => {
    if (!gate.isHealthy()) {
      if (!gate.tryBeginProbe()) return 'probe-busy'; // a fresh send is probing; its outcome kicks us
      try {
        const [entry] = await store.claim(1);
        if (!entry) return 'exhausted';
        await sendStored(entry, timeoutFor());
      } finally {
        gate.endProbe();
      }
      if (!gate.isHealthy() || !canSend()) return 'blocked';
    }
    // Any failure during the pass (from any worker, or a fresh send) means the backlog is not done:
    // the pass then ends 'blocked' and is rescheduled for when the gate opens, even if an idle
    // worker already found the store empty while another one's send was still in flight.
    const failuresAtStart = gate.failureCount();
    let exhausted = false;
    const worker = async (): Promise<void> => {
      while (!exhausted && canSend()) {
        if (!await awaitSlot(paced, canSend)) return;
        const [entry] = await store.claim(1);
        if (!entry) { exhausted = true; return; }
        if (!canSend()) { await store.release(entry); return; }
        await sendStored(entry, timeoutFor());
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, maxConcurrentSends) }, worker));
    return exhausted && gate.failureCount() === failuresAtStart ? 'exhausted' : 'blocked';
  };

  const schedule = (timestamp: number): void => {
    if (stopped) return;
    if (timer && timerTimestamp <= timestamp) return;
    if (timer) clearTimeout(timer);
    timerTimestamp = timestamp;
    timer = setTimeout(() => {
      timer = undefined;
      timerTimestamp = Infinity;
      kick();
    }, Math.max(0, timestamp - now()));
    timer.unref();
  };

  const run = (canSend: () => boolean, timeoutFor: () => number, paced: boolean): Promise<void> => {
    const current = pass(canSend, timeoutFor, paced).then(
      (end) => {
        running = undefined;
        if (end === 'exhausted') {
          pacer = undefined; // the startup backlog is replayed: later passes run at full speed
          store.flushReports(); // the backlog is done: report every eviction now
        }
        if (stopped) return;
        if (again || end === 'blocked') { again = false; schedule(gate.openTimestamp()); }
      },
      () => { running = undefined; },
    );
    running = current;
    return current;
  };

  const kick = (): void => {
    if (stopped) return;
    if (running) { again = true; return; }
    if (now() < notBeforeTimestamp) { schedule(notBeforeTimestamp); return; }
    if (!gate.isOpen()) { schedule(gate.openTimestamp()); return; }
    void run(() => !stopped && gate.isOpen(), () => sendTimeoutMillis, true);
  };

  return {
    kick,
    async flush(deadlineTimestamp) {
      const remaining = (): number => deadlineTimestamp - now();
      if (running) await withDeadline(running, remaining());
      if (running || stopped || gate.isHintActive() || remaining() < MIN_FLUSH_SEND_MILLIS) return;
      const failuresAtStart = gate.failureCount();
      const canSend = (): boolean =>
        !stopped && remaining() >= MIN_FLUSH_SEND_MILLIS && !gate.isHintActive() && gate.failureCount() === failuresAtStart;
      await withDeadline(run(canSend, () => Math.max(1, Math.min(sendTimeoutMillis, remaining())), false), remaining());
    },
    replay(startTimestamp, minSendIntervalMillis) {
      notBeforeTimestamp = startTimestamp;
      pacer = createSendPacer(startTimestamp, minSendIntervalMillis, now);
      kick();
    },
    isActive: () => running !== undefined || timer !== undefined,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
