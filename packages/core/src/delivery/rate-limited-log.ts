/** A visible cause is logged at once, then at most once per this interval (DESIGN.md section 5). */
export const VISIBLE_CAUSE_INTERVAL_MILLIS = 10 * 60_000;

/** Decides whether a line for a given cause may be logged now. */
export interface CauseLimiter {
  /** `true` the first time a cause is seen and then once per interval. */
  shouldLog(cause: string): boolean;
}

/** Create a {@link CauseLimiter}. */
export function createCauseLimiter(intervalMillis: number = VISIBLE_CAUSE_INTERVAL_MILLIS, now: () => number = Date.now): CauseLimiter {
  const last = new Map<string, number>();
  return {
    shouldLog(cause) {
      const previous = last.get(cause);
      if (previous !== undefined && now() - previous < intervalMillis) return false;
      last.set(cause, now());
      return true;
    },
  };
}
