import { AUTH_BACKOFF, computeBackoffMillis, MAX_HINT_MILLIS, minimumBackoffMillis, TRANSIENT_BACKOFF } from '../../src/retry/backoff';
import { createSendGate, noteOutcome, type SendGate } from '../../src/delivery/send-gate';
import { TransportError } from '../../src/errors';
import type { SendOutcome } from '../../src/transport/transport-types';

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

describe('send gate: probing and hints (issue 20: these rules could be changed freely)', () => {
  let t: number;
  beforeEach(() => { t = 1_000_000; });

  it('hands out one probe at a time', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    expect(g.tryBeginProbe()).toBe(true);
    expect(g.tryBeginProbe()).toBe(false);
    g.endProbe();
    expect(g.tryBeginProbe()).toBe(true);
  });

  it('is healthy until any kind of failure, and again after an answer', () => {
    for (const fail of [(g: SendGate) => g.onRetryable(undefined, false), (g: SendGate) => g.onRetryable(undefined, true), (g: SendGate) => g.onAuthFailed()]) {
      const g = createSendGate(undefined, () => t, () => 0.5);
      expect(g.isHealthy()).toBe(true);
      fail(g);
      expect(g.isHealthy()).toBe(false);
      expect(g.failureCount()).toBe(1);
      expect(g.onAnswer()).toBe(true);
      expect(g.isHealthy()).toBe(true);
    }
  });

  it('is unhealthy after failures of different kinds until an answer', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(undefined, false);
    g.onRetryable(undefined, true);
    expect(g.isHealthy()).toBe(false);
    g.onAuthFailed();
    expect(g.isHealthy()).toBe(false);
    const h = createSendGate(undefined, () => t, () => 0.5);
    h.onRetryable(undefined, true);
    h.onAuthFailed();
    expect(h.isHealthy()).toBe(false);
    expect(h.onAnswer()).toBe(true);
    expect(h.isHealthy()).toBe(true);
  });

  it('an answer opens a gate closed by our own backoff at once, but not one closed by a server hint', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(undefined, false);
    g.onAnswer();
    expect(g.isOpen()).toBe(true);
    g.onRetryable(30_000, false);
    g.onAnswer();
    expect(g.openTimestamp()).toBe(t + 30_000);
  });

  it('a quota pause with a hint waits the hint (at least the transient backoff) and forbids flushes for that long', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(300_000, true);
    expect(g.openTimestamp()).toBe(t + 300_000);
    expect(g.isHintActive()).toBe(true);
    t += 299_999;
    expect(g.isHintActive()).toBe(true);
    t += 1;
    expect(g.isHintActive()).toBe(false);
    expect(g.isOpen()).toBe(true);
  });

  it('caps a hint at 24 hours', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(10 * MAX_HINT_MILLIS, false);
    expect(g.openTimestamp()).toBe(t + MAX_HINT_MILLIS);
    t += MAX_HINT_MILLIS;
    expect(g.isHintActive()).toBe(false);
  });

  it('consecutive quota pauses without a hint grow (60 s, then 120 s), and consecutive auth failures too', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(undefined, true);
    t = g.openTimestamp();
    g.onRetryable(undefined, true);
    expect(g.openTimestamp()).toBe(t + 120_000);
    const a = createSendGate(undefined, () => t, () => 0.5);
    a.onAuthFailed();
    expect(a.openTimestamp()).toBe(t + 30_000);
    t = a.openTimestamp();
    a.onAuthFailed();
    expect(a.openTimestamp()).toBe(t + 60_000);
  });

  it('a quota pause with a short hint waits the hint, floored by the transient backoff, not the quota backoff', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(5_000, true);
    expect(g.openTimestamp()).toBe(t + 5_000);
    t += 4_999;
    expect(g.isHintActive()).toBe(true);
    t += 1;
    expect(g.isHintActive()).toBe(false);
  });

  it('a later, shorter hint never shortens an earlier hint', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(60_000, false);
    g.onRetryable(5_000, false);
    t += 30_000;
    expect(g.isHintActive()).toBe(true);
    g.onAnswer();
    expect(g.openTimestamp()).toBe(t + 30_000);
  });

  it.each([['Retry-After: 0', 0], ['a negative hint', -5_000], ['NaN', Number.NaN]])('%s sets no server hint: an answer opens the gate at once', (_label, hint) => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(hint, false);
    expect(g.isHintActive()).toBe(false);
    expect(g.isOpen()).toBe(false);
    g.onAnswer();
    expect(g.isOpen()).toBe(true);
    expect(g.openTimestamp()).toBeLessThanOrEqual(t);
    g.onRetryable(undefined, false); // and later closings still work
    expect(g.openTimestamp()).toBe(t + 2_000);
  });

  it('never shortens an earlier, longer closing', () => {
    const g = createSendGate(undefined, () => t, () => 0.5);
    g.onRetryable(60_000, false);
    g.onRetryable(undefined, false);
    expect(g.openTimestamp()).toBe(t + 60_000);
  });
});

describe('noteOutcome: what each outcome tells the gate', () => {
  const error = new TransportError('x', {});
  // The last column: how long the gate stays closed after the outcome (the failure before it closed it for 2 s).
  it.each<[string, SendOutcome, boolean, boolean, number, number]>([
    ['success', { status: 'success', itemCount: 1 }, true, true, 0, 0],
    ['refused (4xx)', { status: 'failure', error }, true, true, 0, 0],
    ['206 without retries', { status: 'partial', accepted: 1, retryIndexes: [], dropped: 1, reasons: [] }, true, true, 0, 0],
    ['206 with retries (a second transient failure)', { status: 'partial', accepted: 1, retryIndexes: [0], dropped: 0, reasons: [] }, false, false, 1, 4_000],
    ['retryable (a second transient failure)', { status: 'retryable', error }, false, false, 1, 4_000],
    ['retryable with a hint', { status: 'retryable', error, retryAfterMillis: 7_000 }, false, false, 1, 7_000],
    ['quota pause without a hint (the quota backoff)', { status: 'retryable', error, pause: true }, false, false, 1, 60_000],
    ['retryable, pause: false', { status: 'retryable', error, pause: false }, false, false, 1, 4_000],
    ['auth-failed (the slow backoff)', { status: 'auth-failed', error }, false, false, 1, 30_000],
  ])('%s', (_label, outcome, kicks, healthy, failures, closedFor) => {
    const g = createSendGate(undefined, () => 1_000, () => 0.5);
    g.onRetryable(undefined, false); // failing before: an answer means "ingestion is back"
    expect(noteOutcome(g, outcome)).toBe(kicks);
    expect(g.isHealthy()).toBe(healthy);
    expect(g.failureCount()).toBe(1 + failures);
    expect(Math.max(0, g.openTimestamp() - 1_000)).toBe(closedFor);
    expect(g.isHintActive()).toBe(outcome.status === 'retryable' && (outcome.retryAfterMillis !== undefined || outcome.pause === true));
  });

  it('passes a quota pause and its hint to the gate, and an auth hint as the slow backoff', () => {
    const t = 1_000;
    const g = createSendGate(undefined, () => t, () => 0.5);
    noteOutcome(g, { status: 'retryable', error: new TransportError('439', {}), pause: true, retryAfterMillis: 300_000 });
    expect(g.openTimestamp()).toBe(t + 300_000);
    expect(g.isHintActive()).toBe(true);
    const a = createSendGate(undefined, () => t, () => 0.5);
    noteOutcome(a, { status: 'auth-failed', error: new TransportError('403', {}), retryAfterMillis: 90_000 });
    expect(a.openTimestamp()).toBe(t + 90_000);
    expect(a.isHintActive()).toBe(false);
  });
});
