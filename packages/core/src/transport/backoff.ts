/** How the retrying transport spaces its attempts. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  readonly maxRetries: number;
  /** Backoff before the first retry, before jitter (default 1 s). */
  readonly initialBackoffMillis: number;
  /** Growth per retry (default 2). */
  readonly backoffMultiplier: number;
  /** Upper bound of one backoff (default 30 s). */
  readonly maxBackoffMillis: number;
  /** Random source in [0, 1) for jitter (injectable for tests; default Math.random). */
  readonly random: () => number;
}

/** The default retry policy: 1 s base, x2, 30 s cap, equal jitter, 5 retries. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 5,
  initialBackoffMillis: 1_000,
  backoffMultiplier: 2,
  maxBackoffMillis: 30_000,
  random: Math.random,
});

/**
 * Equal-jitter exponential backoff for retry number `attempt` (1-based): half the capped
 * exponential delay, plus a random part of the other half. Never 0, so retries cannot spin.
 */
export function computeBackoffMillis(attempt: number, policy: RetryPolicy): number {
  const exponential = policy.initialBackoffMillis * policy.backoffMultiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxBackoffMillis, exponential);
  return Math.round(capped / 2 + policy.random() * (capped / 2));
}
