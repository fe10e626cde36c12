import type { DrainLoop } from './drain-loop';
import type { BodyStore } from './store-types';

/**
 * How a process replays a backlog it finds at startup (issue 24): a fleet restarting after an
 * outage must not hit ingestion all at once. Each process waits a random offset before its first
 * stored send, then starts stored sends no closer together than `minSendIntervalMillis` until the
 * backlog is empty once. docs/errors-and-retries.md, "Startup replay spread".
 */
export interface ReplaySpreadPolicy {
  /** The start offset is uniform in [0, maxStartOffsetMillis). */
  readonly maxStartOffsetMillis: number;
  /** Stored sends start at most once per this many milliseconds while replaying (a rate bound). */
  readonly minSendIntervalMillis: number;
}

/**
 * The defaults: offset uniform in [0, 10 s), at most 20 stored sends per second while replaying.
 * An hour of backlog at 50 spans/s is 720 requests (docs/benchmark.md, `bsp`): 36 s at 20/s, plus
 * at most 10 s of offset, inside the promise that an hour of backlog drains in about a minute.
 */
export const DEFAULT_REPLAY_SPREAD: ReplaySpreadPolicy = Object.freeze({
  maxStartOffsetMillis: 10_000,
  minSendIntervalMillis: 50,
});

/** When the first stored send of a startup replay may start: `startTimestamp` plus a uniform random offset. */
export function replayStartTimestamp(policy: ReplaySpreadPolicy, startTimestamp: number, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return startTimestamp + Math.floor(r * policy.maxStartOffsetMillis);
}

/**
 * A pacer of send starts: each call returns how long to wait before the next send may start, and
 * books that slot, so N calls at once get slots `interval` apart. Pure over the injected clock.
 */
export interface SendPacer {
  /** Book the next slot: milliseconds to wait from now (0 when the slot is now). */
  nextWaitMillis(): number;
}

/** Create a {@link SendPacer} whose first slot is at `firstTimestamp`. */
export function createSendPacer(firstTimestamp: number, minSendIntervalMillis: number, now: () => number): SendPacer {
  let nextSlot = firstTimestamp;
  return {
    nextWaitMillis() {
      const at = Math.max(now(), nextSlot);
      nextSlot = at + minSendIntervalMillis;
      return at - now();
    },
  };
}

/**
 * Start draining a store at startup: at once without a policy or without a backlog, else spread out
 * ({@link DrainLoop.replay} from {@link replayStartTimestamp}). `isClosed` stops a start that
 * resolves after the delivery closed.
 */
export function startDrain(
  store: BodyStore, drain: Pick<DrainLoop, 'kick' | 'replay'>, policy: ReplaySpreadPolicy | undefined,
  clock: { readonly now: () => number; readonly random: () => number }, isClosed: () => boolean,
): void {
  if (!policy) { drain.kick(); return; }
  void store.stats().then((held) => {
    if (isClosed()) return;
    if (held.requests === 0) { drain.kick(); return; }
    drain.replay(replayStartTimestamp(policy, clock.now(), clock.random), policy.minSendIntervalMillis);
  }, () => drain.kick());
}
