import { AUTH_BACKOFF, computeBackoffMillis, minimumBackoffMillis, TRANSIENT_BACKOFF } from '../../src/retry/backoff';
import { createSendGate } from '../../src/delivery/send-gate';

describe('computeBackoffMillis', () => {
  it('doubles from the initial delay up to the cap, within the jitter band', () => {
    const mid = () => 0.5;
    expect(computeBackoffMillis(1, TRANSIENT_BACKOFF, mid)).toBe(2_000);
    expect(computeBackoffMillis(3, TRANSIENT_BACKOFF, mid)).toBe(8_000);
    expect(computeBackoffMillis(50, TRANSIENT_BACKOFF, mid)).toBe(60_000);
    expect(computeBackoffMillis(1, TRANSIENT_BACKOFF, () => 0)).toBe(1_600);
    expect(computeBackoffMillis(50, TRANSIENT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(60_000);
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

  it('keeps auth failures on a slow backoff, at least the transport hint', () => {
    const g = gate();
    g.onAuthFailed(60_000);
    expect(g.openTimestamp()).toBe(t + 60_000);
    g.onAuthFailed();
    expect(g.openTimestamp()).toBe(t + 60_000);
    expect(g.failureCount()).toBe(2);
    g.onAnswer();
    expect(g.isHealthy()).toBe(true);
  });

  // Issue 11, item 1: whatever the server says, every closing lasts at least the backoff minimum.
  it.each([
    ['Retry-After: 0 (transient)', 0, false, 'transient'],
    ['a date in the past (parsed as 0)', 0, false, 'transient'],
    ['a negative hint', -5_000, false, 'transient'],
    ['NaN', Number.NaN, false, 'transient'],
    ['402/439 pause with Retry-After: 0', 0, true, 'transient'],
    ['401/403 with a 0 hint', 0, undefined, 'auth'],
  ] as const)('%s: closed for at least the backoff minimum, growing with each failure', (_label, hint, pause, kind) => {
    const g = createSendGate(undefined, () => t, () => 0); // lowest jitter
    const opens: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (pause === undefined) g.onAuthFailed(hint); else g.onRetryable(hint, pause);
      expect(g.isOpen()).toBe(false);
      opens.push(g.openTimestamp() - t);
      t = g.openTimestamp();
    }
    const minimum = minimumBackoffMillis(kind === 'auth' ? AUTH_BACKOFF : TRANSIENT_BACKOFF);
    expect(opens[0]).toBeGreaterThanOrEqual(minimum);
    expect(opens[3]!).toBeGreaterThan(opens[0]!); // exponential, never a fixed short period
  });
});
