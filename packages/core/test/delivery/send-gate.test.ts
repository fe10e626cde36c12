import { computeDeliveryBackoffMillis, TRANSIENT_BACKOFF } from '../../src/delivery/backoff';
import { createSendGate } from '../../src/delivery/send-gate';
import { AuthError } from '../../src/errors';

describe('computeDeliveryBackoffMillis', () => {
  it('doubles from the initial delay up to the cap, within the jitter band', () => {
    const mid = () => 0.5;
    expect(computeDeliveryBackoffMillis(1, TRANSIENT_BACKOFF, mid)).toBe(2_000);
    expect(computeDeliveryBackoffMillis(3, TRANSIENT_BACKOFF, mid)).toBe(8_000);
    expect(computeDeliveryBackoffMillis(50, TRANSIENT_BACKOFF, mid)).toBe(60_000);
    expect(computeDeliveryBackoffMillis(1, TRANSIENT_BACKOFF, () => 0)).toBe(1_600);
    expect(computeDeliveryBackoffMillis(50, TRANSIENT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(60_000);
  });
});

describe('createSendGate', () => {
  let t: number;
  const gate = () => createSendGate(undefined, () => t, () => 0.5);
  beforeEach(() => { t = 1_000_000; });

  it('closes for the exponential backoff after transient failures and reopens on an answer', () => {
    const g = gate();
    g.onRetryable(undefined, false);
    expect(g.isOpen()).toBe(false);
    expect(g.openTimestamp()).toBe(t + 2_000);
    g.onRetryable(undefined, false);
    expect(g.openTimestamp()).toBe(t + 4_000);
    expect(g.isHintActive()).toBe(false);
    expect(g.onAnswer()).toBe(true); // was failing: the drain should start
    expect(g.isOpen()).toBe(true);
    expect(g.onAnswer()).toBe(false);
  });

  it('honours a Retry-After hint exactly and keeps it even after another answer', () => {
    const g = gate();
    g.onRetryable(5_000, false);
    expect(g.openTimestamp()).toBe(t + 5_000);
    expect(g.isHintActive()).toBe(true);
    g.onAnswer();
    expect(g.isOpen()).toBe(false);
    t += 5_000;
    expect(g.isOpen()).toBe(true);
    expect(g.isHintActive()).toBe(false);
  });

  it('pauses for the quota backoff when a pause comes without a hint', () => {
    const g = gate();
    g.onRetryable(undefined, true);
    expect(g.openTimestamp()).toBe(t + 60_000);
    expect(g.isHintActive()).toBe(true);
  });

  it('keeps auth failures on a slow backoff, at least the transport hint, and exposes the error', () => {
    const g = gate();
    const error = new AuthError('lacks role', 403);
    g.onAuthFailed(error, 60_000);
    expect(g.openTimestamp()).toBe(t + 60_000);
    expect(g.authError()).toBe(error);
    g.onAuthFailed(error);
    expect(g.openTimestamp()).toBe(t + 60_000);
    expect(g.failureCount()).toBe(2);
    g.onAnswer();
    expect(g.authError()).toBeUndefined();
  });
});
