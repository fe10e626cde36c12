import { setMaxListeners } from 'node:events';

/**
 * The deadline of fresh sends (forceFlush/shutdown): its timestamp, and a signal that aborts when
 * it passes, so sends still waited on at that moment are queued instead.
 */
export interface SendDeadline {
  /** The earliest deadline set (`Infinity` before any). */
  timestamp(): number;
  /** Aborts when the deadline passes. */
  readonly signal: AbortSignal;
  /** Move the deadline to `deadlineTimestamp` if that is earlier (a deadline never moves later). */
  set(deadlineTimestamp: number): void;
}

/** Create a {@link SendDeadline}; its timer is unref'd (it never keeps a process alive). */
export function createSendDeadline(now: () => number): SendDeadline {
  let deadlineTimestamp = Infinity;
  let timer: NodeJS.Timeout | undefined;
  const reached = new AbortController();
  setMaxListeners(Infinity, reached.signal); // one listener per fresh send in flight
  return {
    timestamp: () => deadlineTimestamp,
    signal: reached.signal,
    set(deadline) {
      deadlineTimestamp = Math.min(deadlineTimestamp, deadline);
      clearTimeout(timer);
      timer = setTimeout(() => reached.abort(), Math.max(0, deadlineTimestamp - now()));
      timer.unref();
    },
  };
}
