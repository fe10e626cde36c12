/**
 * One unref'd timer that wakes the drain at a timestamp: asked again for a later time it keeps the
 * earlier one; for an earlier time it replaces it (the old timer cleared, never two pending).
 */
export interface WakeTimer {
  /** Wake at `timestamp` (at once when it is past), unless a wake no later than it is pending. */
  schedule(timestamp: number): void;
  /** `true` while a wake is pending. */
  isPending(): boolean;
  /** Clear the pending wake, if any. */
  cancel(): void;
}

/** Create a {@link WakeTimer} that calls `wake` when it fires. */
export function createWakeTimer(now: () => number, wake: () => void): WakeTimer {
  let timer: NodeJS.Timeout | undefined;
  let timerTimestamp = Infinity;
  return {
    schedule(timestamp) {
      if (timer && timerTimestamp <= timestamp) return;
      clearTimeout(timer); // a no-op without a timer
      timerTimestamp = timestamp;
      timer = setTimeout(() => {
        timer = undefined; // timerTimestamp is read only while a timer is pending
        wake();
      }, Math.max(0, timestamp - now()));
      timer.unref();
    },
    isPending: () => timer !== undefined,
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
