import { runDrainPass, type DrainPassContext, type DrainPassLimits, type PassEnd } from './drain-pass';
import { createSendPacer, type SendPacer } from './replay-spread';
import type { SendGate } from './send-gate';
import type { BodyStore, StoredRequest } from './store-types';
import { createWakeTimer } from './wake-timer';
import { withDeadline } from './with-deadline';

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

/**
 * The limits of a flush pass: no send once less than {@link MIN_FLUSH_SEND_MILLIS} is left, while a
 * server hint is active, after a new failure or once stopped; each send's timeout bounded by what
 * is left. Our own backoff (a closed gate) does not stop a flush.
 */
function flushLimits(gate: SendGate, remaining: () => number, sendTimeoutMillis: number, isStopped: () => boolean): DrainPassLimits {
  const failuresAtStart = gate.failureCount();
  return {
    canSend: () => !isStopped() && remaining() >= MIN_FLUSH_SEND_MILLIS && !gate.isHintActive() && gate.failureCount() === failuresAtStart,
    timeoutFor: () => Math.max(1, Math.min(sendTimeoutMillis, remaining())),
    paced: false,
  };
}

/** Create a {@link DrainLoop}. */
export function createDrainLoop(options: DrainLoopOptions): DrainLoop {
  const { store, gate, sendTimeoutMillis } = options;
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let notBeforeTimestamp = -Infinity;
  let pacer: SendPacer | undefined;
  const passContext: DrainPassContext = { ...options, pacer: () => pacer };
  const timer = createWakeTimer(now, () => kick());

  const afterPass = (end: PassEnd): void => {
    running = undefined;
    if (end === 'exhausted') {
      pacer = undefined; // the startup backlog is replayed: later passes run at full speed
      store.flushReports(); // the backlog is done: report every eviction now
    }
    if (stopped) return; // a stopped loop schedules nothing (kick also returns first)
    if (again || end === 'blocked') { again = false; timer.schedule(gate.openTimestamp()); }
  };

  const run = (limits: DrainPassLimits): Promise<void> => {
    const current = runDrainPass(passContext, limits).then(afterPass, () => { running = undefined; });
    running = current;
    return current;
  };

  const kick = (): void => {
    if (stopped) return;
    if (running) { again = true; return; }
    if (now() < notBeforeTimestamp) { timer.schedule(notBeforeTimestamp); return; }
    if (!gate.isOpen()) { timer.schedule(gate.openTimestamp()); return; }
    void run({ canSend: () => !stopped && gate.isOpen(), timeoutFor: () => sendTimeoutMillis, paced: true });
  };

  return {
    kick,
    async flush(deadlineTimestamp) {
      const remaining = (): number => deadlineTimestamp - now();
      if (running) await withDeadline(running, remaining());
      if (running || stopped || gate.isHintActive() || remaining() < MIN_FLUSH_SEND_MILLIS) return;
      await withDeadline(run(flushLimits(gate, remaining, sendTimeoutMillis, () => stopped)), remaining());
    },
    replay(startTimestamp, minSendIntervalMillis) {
      notBeforeTimestamp = startTimestamp;
      pacer = createSendPacer(startTimestamp, minSendIntervalMillis, now);
      kick();
    },
    isActive: () => running !== undefined || timer.isPending(),
    stop() {
      stopped = true;
      timer.cancel();
    },
  };
}
