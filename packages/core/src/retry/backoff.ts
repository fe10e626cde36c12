/**
 * Exponential backoff with jitter: `initialMillis * multiplier^(attempt-1)`, capped, +-jitter. The
 * one backoff of the exporter: the send gate spaces every retry with it (transient failures, quota
 * pauses, kept auth failures), and a server hint can lengthen a wait, never shorten it below this.
 */
export interface BackoffPolicy {
  /** Delay before the first retry, before jitter (must be > 0). */
  readonly initialMillis: number;
  /** Upper bound of one delay. */
  readonly maxMillis: number;
  /** Growth per attempt. */
  readonly multiplier: number;
  /** Fraction of the delay added or removed at random (0.2 = +-20%; below 1). */
  readonly jitter: number;
}

/** Backoff for transient failures (5xx, 408, 429, network errors, timeouts). */
export const TRANSIENT_BACKOFF: BackoffPolicy = Object.freeze({ initialMillis: 2_000, maxMillis: 60_000, multiplier: 2, jitter: 0.2 });
/** Backoff for quota pauses (402/439). */
export const QUOTA_BACKOFF: BackoffPolicy = Object.freeze({ initialMillis: 60_000, maxMillis: 15 * 60_000, multiplier: 2, jitter: 0.2 });
/** Slow backoff for kept auth failures (401/403/400-auth, credential errors). */
export const AUTH_BACKOFF: BackoffPolicy = Object.freeze({ initialMillis: 30_000, maxMillis: 10 * 60_000, multiplier: 2, jitter: 0.2 });

/** Longest server hint honoured (a daily cap may say "tomorrow"). */
export const MAX_HINT_MILLIS = 24 * 60 * 60_000;

/** The shortest delay `policy` ever gives: its initial delay minus the jitter. */
export function minimumBackoffMillis(policy: BackoffPolicy): number {
  return Math.max(1, Math.round(policy.initialMillis * (1 - policy.jitter)));
}

/**
 * The delay before attempt `attempt` (1-based) under `policy`; `random` in [0, 1). Never below
 * {@link minimumBackoffMillis}, so a retry can never spin.
 */
export function computeBackoffMillis(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(policy.maxMillis, policy.initialMillis * policy.multiplier ** exponent);
  const jittered = base * (1 - policy.jitter + 2 * policy.jitter * random());
  return Math.max(minimumBackoffMillis(policy), Math.round(Math.min(jittered, policy.maxMillis)));
}

/**
 * How long to wait before attempt `attempt` when the server hinted `hintMillis` (Retry-After,
 * retry-after-ms, a quota pause): the longer of the hint (at most {@link MAX_HINT_MILLIS}) and our
 * own backoff. `Retry-After: 0`, a date in the past or a negative value therefore never make a
 * tight loop: the wait is at least the backoff minimum whatever the server says.
 */
export function retryWaitMillis(hintMillis: number | undefined, attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const backoff = computeBackoffMillis(attempt, policy, random);
  if (hintMillis === undefined || !Number.isFinite(hintMillis)) return backoff;
  return Math.max(backoff, Math.min(hintMillis, MAX_HINT_MILLIS));
}
