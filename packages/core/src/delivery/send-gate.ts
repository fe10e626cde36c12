import { AUTH_BACKOFF, MAX_HINT_MILLIS, QUOTA_BACKOFF, retryWaitMillis, TRANSIENT_BACKOFF, type BackoffPolicy } from '../retry/backoff';
import type { SendOutcome } from '../transport/transport-types';

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
 * throttling ingestion sees one probe per backoff step, never a storm. Every failure closes the
 * gate for at least the backoff of its kind: a server hint (`Retry-After: 0`, a past date,
 * `retry-after-ms: 0`) can lengthen the wait, never shorten it.
 */
export interface SendGate {
  /** `true` when a send may start now. */
  isOpen(): boolean;
  /** When the gate opens (<= now when open). */
  openTimestamp(): number;
  /** `true` while a server hint (Retry-After, quota pause) forbids sending, even for flushes. */
  isHintActive(): boolean;
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
  onAuthFailed(retryAfterMillis?: number): void;
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
  let probing = false;

  const closeUntil = (timestamp: number): void => { openAt = Math.max(openAt, timestamp); };

  return {
    isOpen: () => now() >= openAt,
    openTimestamp: () => openAt,
    isHintActive: () => now() < hintUntil,
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
      openAt = Math.min(openAt, hintUntil);
      return wasFailing;
    },
    onRetryable(retryAfterMillis, pause) {
      failures++;
      const streak = pause ? ++quotaStreak : ++transientStreak;
      // A pause without a hint waits the quota backoff; with one, the hint, floored like any retry.
      const floor = pause && retryAfterMillis === undefined ? policy.quota : policy.transient;
      const waitMillis = retryWaitMillis(retryAfterMillis, streak, floor, random);
      // A server hint (or a quota pause) forbids even flushes until it passes.
      if (pause || (retryAfterMillis ?? 0) > 0) {
        hintUntil = Math.max(hintUntil, now() + (pause ? waitMillis : Math.min(retryAfterMillis as number, MAX_HINT_MILLIS)));
      }
      closeUntil(now() + waitMillis);
    },
    onAuthFailed(retryAfterMillis) {
      failures++;
      authStreak++;
      closeUntil(now() + retryWaitMillis(retryAfterMillis, authStreak, policy.auth, random));
    },
  };
}

/**
 * Tell the gate what one send's outcome says about ingestion; `true` when ingestion answers again
 * after failing (the caller then wakes the drain). A 206 with retriable items counts as a failure.
 */
export function noteOutcome(gate: SendGate, outcome: SendOutcome): boolean {
  switch (outcome.status) {
    case 'success':
    case 'failure':
      return gate.onAnswer();
    case 'partial':
      if (outcome.retryIndexes.length === 0) return gate.onAnswer();
      gate.onRetryable(undefined, false);
      return false;
    case 'retryable':
      gate.onRetryable(outcome.retryAfterMillis, outcome.pause === true);
      return false;
    case 'auth-failed':
      gate.onAuthFailed(outcome.retryAfterMillis);
      return false;
  }
}
