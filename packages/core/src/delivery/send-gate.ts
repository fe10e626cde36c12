import type { ExporterError } from '../errors';
import { AUTH_BACKOFF, computeDeliveryBackoffMillis, QUOTA_BACKOFF, TRANSIENT_BACKOFF, type BackoffPolicy } from './backoff';

/** Longest server hint we honour (a daily cap may say "tomorrow"). */
const MAX_HINT_MILLIS = 24 * 60 * 60_000;

/** Backoff settings of a {@link SendGate}. */
export interface SendGatePolicy {
  readonly transient: BackoffPolicy;
  readonly quota: BackoffPolicy;
  readonly auth: BackoffPolicy;
}

/** Default gate policy (DESIGN.md section 5). */
export const DEFAULT_SEND_GATE_POLICY: SendGatePolicy = { transient: TRANSIENT_BACKOFF, quota: QUOTA_BACKOFF, auth: AUTH_BACKOFF };

/**
 * When sending is allowed. Every outcome is reported here; while the gate is closed nothing is
 * sent (fresh bodies go to the store) and the drain loop waits for `openTimestamp()`, so a down or
 * throttling ingestion sees one probe per backoff step, never a storm.
 */
export interface SendGate {
  /** `true` when a send may start now. */
  isOpen(): boolean;
  /** When the gate opens (<= now when open). */
  openTimestamp(): number;
  /** `true` while a server hint (Retry-After, quota pause) forbids sending, even for flushes. */
  isHintActive(): boolean;
  /** The kept auth failure while the auth backoff lasts. */
  authError(): ExporterError | undefined;
  /** Bumped on every failure; a flush stops when it changes. */
  failureCount(): number;
  /** `true` when the last outcome was an answer: any number of sends may run at once. */
  isHealthy(): boolean;
  /**
   * While not healthy, only one send (the probe) may be in flight: `true` if the caller got the
   * probe (and must call `endProbe()`), `false` if another probe is running.
   */
  tryBeginProbe(): boolean;
  endProbe(): void;
  /** Ingestion answered (2xx, 206 without retries, 4xx): returns `true` if it was failing before. */
  onAnswer(): boolean;
  /** A transient failure, quota pause or 206 with retriable items. */
  onRetryable(retryAfterMillis: number | undefined, pause: boolean): void;
  /** A kept auth failure (slow backoff; at least `retryAfterMillis` when given). */
  onAuthFailed(error: ExporterError, retryAfterMillis?: number): void;
}

/** Create a {@link SendGate}. `now` and `random` are injectable for tests. */
export function createSendGate(
  policy: SendGatePolicy = DEFAULT_SEND_GATE_POLICY,
  now: () => number = Date.now,
  random: () => number = Math.random,
): SendGate {
  let openAt = 0;
  let hintUntil = 0;
  let transientStreak = 0;
  let quotaStreak = 0;
  let authStreak = 0;
  let failures = 0;
  let lastAuthError: ExporterError | undefined;
  let probing = false;

  const closeUntil = (timestamp: number): void => { openAt = Math.max(openAt, timestamp); };

  return {
    isOpen: () => now() >= openAt,
    openTimestamp: () => openAt,
    isHintActive: () => now() < hintUntil,
    authError: () => (authStreak > 0 ? lastAuthError : undefined),
    failureCount: () => failures,
    isHealthy: () => transientStreak + quotaStreak + authStreak === 0,
    tryBeginProbe() {
      if (probing) return false;
      probing = true;
      return true;
    },
    endProbe() { probing = false; },
    onAnswer() {
      const wasFailing = transientStreak + quotaStreak + authStreak > 0;
      transientStreak = 0; quotaStreak = 0; authStreak = 0;
      lastAuthError = undefined;
      openAt = Math.min(openAt, hintUntil);
      return wasFailing;
    },
    onRetryable(retryAfterMillis, pause) {
      failures++;
      if (retryAfterMillis !== undefined && retryAfterMillis >= 0) {
        const hinted = now() + Math.min(retryAfterMillis, MAX_HINT_MILLIS);
        hintUntil = Math.max(hintUntil, hinted);
        if (pause) quotaStreak++; else transientStreak++;
        closeUntil(hinted);
        return;
      }
      if (pause) {
        quotaStreak++;
        const until = now() + computeDeliveryBackoffMillis(quotaStreak, policy.quota, random);
        hintUntil = Math.max(hintUntil, until); // a quota pause stops flushes too
        closeUntil(until);
        return;
      }
      transientStreak++;
      closeUntil(now() + computeDeliveryBackoffMillis(transientStreak, policy.transient, random));
    },
    onAuthFailed(error, retryAfterMillis) {
      failures++;
      authStreak++;
      lastAuthError = error;
      const backoff = computeDeliveryBackoffMillis(authStreak, policy.auth, random);
      closeUntil(now() + Math.max(backoff, Math.min(retryAfterMillis ?? 0, MAX_HINT_MILLIS)));
    },
  };
}
