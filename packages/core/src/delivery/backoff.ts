/** Exponential backoff with jitter: `initialMillis * multiplier^(attempt-1)`, capped, +-jitter. */
export interface BackoffPolicy {
  readonly initialMillis: number;
  readonly maxMillis: number;
  readonly multiplier: number;
  /** Fraction of the delay added or removed at random (0.2 = +-20%). */
  readonly jitter: number;
}

/** Backoff for transient failures (5xx, 408, 429 without hint, network errors, timeouts). */
export const TRANSIENT_BACKOFF: BackoffPolicy = { initialMillis: 2_000, maxMillis: 60_000, multiplier: 2, jitter: 0.2 };
/** Backoff for quota pauses (402/439) that carry no Retry-After. */
export const QUOTA_BACKOFF: BackoffPolicy = { initialMillis: 60_000, maxMillis: 15 * 60_000, multiplier: 2, jitter: 0.2 };
/** Slow backoff for kept auth failures (401/403/400-auth, credential errors). */
export const AUTH_BACKOFF: BackoffPolicy = { initialMillis: 30_000, maxMillis: 10 * 60_000, multiplier: 2, jitter: 0.2 };

/** The delay before attempt `attempt` (1-based) under `policy`; `random` in [0, 1). */
export function computeDeliveryBackoffMillis(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const base = Math.min(policy.maxMillis, policy.initialMillis * policy.multiplier ** exponent);
  const jittered = base * (1 - policy.jitter + 2 * policy.jitter * random());
  return Math.max(0, Math.round(Math.min(jittered, policy.maxMillis)));
}
