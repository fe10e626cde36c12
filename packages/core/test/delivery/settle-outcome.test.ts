import { AuthError, PartialExportError, StorageError, TransportError } from '../../src/errors';
import { settleOutcome, settleStoreResult, UNANSWERED, type SendOrigin, type SettledOutcome, type StoreAction } from '../../src/delivery/settle-outcome';

const refused = new TransportError('ingestion refused the items (400)', { statusCode: 400 });
const auth = new AuthError('identity lacks the Monitoring Metrics Publisher role', 403);
const OUTCOMES = {
  success: { status: 'success', itemCount: 5 },
  failure: { status: 'failure', error: refused },
  'partial, retries and drops': { status: 'partial', accepted: 2, retryIndexes: [1, 3], dropped: 1, reasons: ['400 bad field'] },
  'partial, retries only': { status: 'partial', accepted: 3, retryIndexes: [0, 4], dropped: 0, reasons: [] },
  'partial, drops only': { status: 'partial', accepted: 4, retryIndexes: [], dropped: 1, reasons: [] },
  retryable: { status: 'retryable', error: new TransportError('503', { statusCode: 503 }) },
  'quota pause': { status: 'retryable', error: new TransportError('439', { statusCode: 439 }), pause: true, retryAfterMillis: 300_000 },
  'auth-failed': { status: 'auth-failed', error: auth, retryAfterMillis: 60_000 },
  unanswered: UNANSWERED,
} satisfies Record<string, SettledOutcome>;
type OutcomeKey = keyof typeof OUTCOMES;

const FORGET: StoreAction = { kind: 'forget' };
const KEEP: StoreAction = { kind: 'keep' };
const HOLD: StoreAction = { kind: 'hold' };

/** One row per (outcome, origin): the store action, the receipt counts, the error code, the drop reported. */
const TABLE: [OutcomeKey, SendOrigin, StoreAction, [accepted: number, queued: number, dropped: number], string | undefined, number][] = [
  ['success', 'fresh', FORGET, [5, 0, 0], undefined, 0],
  ['success', 'stored', FORGET, [5, 0, 0], undefined, 0],
  ['success', 'late', FORGET, [5, 0, 0], undefined, 0],
  ['failure', 'fresh', FORGET, [0, 0, 5], 'AI_TRANSPORT', 0],
  ['failure', 'stored', FORGET, [0, 0, 5], 'AI_TRANSPORT', 5],
  ['failure', 'late', FORGET, [0, 0, 5], 'AI_TRANSPORT', 5],
  ['partial, retries and drops', 'fresh', { kind: 'retry', indexes: [1, 3] }, [2, 2, 1], 'AI_PARTIAL', 0],
  ['partial, retries and drops', 'stored', { kind: 'retry', indexes: [1, 3] }, [2, 2, 1], 'AI_PARTIAL', 1],
  ['partial, retries and drops', 'late', { kind: 'retry', indexes: [1, 3] }, [2, 2, 1], 'AI_PARTIAL', 1],
  ['partial, retries only', 'fresh', { kind: 'retry', indexes: [0, 4] }, [3, 2, 0], undefined, 0],
  ['partial, retries only', 'stored', { kind: 'retry', indexes: [0, 4] }, [3, 2, 0], undefined, 0],
  ['partial, retries only', 'late', { kind: 'retry', indexes: [0, 4] }, [3, 2, 0], undefined, 0],
  ['partial, drops only', 'fresh', FORGET, [4, 0, 1], 'AI_PARTIAL', 0],
  ['partial, drops only', 'stored', FORGET, [4, 0, 1], 'AI_PARTIAL', 1],
  ['partial, drops only', 'late', FORGET, [4, 0, 1], 'AI_PARTIAL', 1],
  ['retryable', 'fresh', KEEP, [0, 5, 0], undefined, 0],
  ['retryable', 'stored', KEEP, [0, 5, 0], undefined, 0],
  ['retryable', 'late', KEEP, [0, 5, 0], undefined, 0],
  ['quota pause', 'fresh', KEEP, [0, 5, 0], undefined, 0],
  ['quota pause', 'stored', KEEP, [0, 5, 0], undefined, 0],
  ['quota pause', 'late', KEEP, [0, 5, 0], undefined, 0],
  ['auth-failed', 'fresh', KEEP, [0, 5, 0], undefined, 0],
  ['auth-failed', 'stored', KEEP, [0, 5, 0], undefined, 0],
  ['auth-failed', 'late', KEEP, [0, 5, 0], undefined, 0],
  ['unanswered', 'fresh', HOLD, [0, 5, 0], undefined, 0],
  ['unanswered', 'stored', KEEP, [0, 5, 0], undefined, 0],
  ['unanswered', 'late', KEEP, [0, 5, 0], undefined, 0],
];

describe('settleOutcome: one rule for every send (fresh, drained, late)', () => {
  it('has one row per outcome and origin', () => {
    const keys = new Set(TABLE.map(([o, origin]) => `${o}/${origin}`));
    expect(keys.size).toBe(Object.keys(OUTCOMES).length * 3);
    expect(TABLE).toHaveLength(keys.size);
  });

  it.each(TABLE)('%s from a %s send', (key, origin, storeAction, [accepted, queued, dropped], code, reportedDrop) => {
    const s = settleOutcome(OUTCOMES[key], origin, 5);
    expect(s.origin).toBe(origin);
    expect(s.storeAction).toEqual(storeAction);
    expect({ accepted: s.receipt.accepted, queued: s.receipt.queued, dropped: s.receipt.dropped }).toEqual({ accepted, queued, dropped });
    expect(s.receipt.error?.code).toBe(code);
    expect(s.drops.reduce((n, d) => n + d.items, 0)).toBe(reportedDrop);
    for (const d of s.drops) expect(d.error).toBe(s.receipt.error);
    // Every item is accounted for once, and no receipt without an error drops anything.
    if (key !== 'partial, retries and drops' && key !== 'partial, retries only' && key !== 'partial, drops only') expect(accepted + queued + dropped).toBe(5);
    if (dropped > 0) expect(s.receipt.error).toBeDefined();
  });

  it('a partial error names the counts and reasons, or says none were given', () => {
    const e = settleOutcome(OUTCOMES['partial, retries and drops'], 'fresh', 5).receipt.error as PartialExportError;
    expect(e).toBeInstanceOf(PartialExportError);
    expect(e.message).toBe('ingestion accepted 2 of 5 items; 1 dropped (400 bad field)');
    expect([e.accepted, e.dropped, e.reasons]).toEqual([2, 1, ['400 bad field']]);
    expect(settleOutcome(OUTCOMES['partial, drops only'], 'fresh', 5).receipt.error?.message).toBe('ingestion accepted 4 of 5 items; 1 dropped (no reason given)');
    const two = settleOutcome({ status: 'partial', accepted: 1, retryIndexes: [], dropped: 2, reasons: ['400: a', '400: b'] }, 'stored', 3);
    expect(two.drops[0]?.error.message).toBe('ingestion accepted 1 of 3 items; 2 dropped (400: a; 400: b)');
  });
});

describe('settleStoreResult: what the store did amends the settlement', () => {
  const full = new StorageError('offline store full');

  it.each<[string, SettledOutcome, SendOrigin, Parameters<typeof settleStoreResult>[1], number, [number, number, number], string | undefined, number]>([
    ['queued', OUTCOMES.retryable, 'fresh', { stored: true, id: 'a', evictedItems: 0 }, 5, [0, 5, 0], undefined, 0],
    ['queued by evicting older items (fresh: FAILED)', OUTCOMES.retryable, 'fresh', { stored: true, id: 'a', evictedItems: 7 }, 5, [0, 5, 0], 'AI_STORAGE', 0],
    ['queued by evicting older items (stored: the store logs it)', OUTCOMES.retryable, 'stored', { stored: true, id: 'a', evictedItems: 7 }, 5, [0, 5, 0], undefined, 0],
    ['not queued (fresh)', OUTCOMES.retryable, 'fresh', { stored: false, evictedItems: 0, error: full }, 5, [0, 0, 5], 'AI_STORAGE', 0],
    ['not queued, no error given', OUTCOMES.unanswered, 'fresh', { stored: false, evictedItems: 0 }, 5, [0, 0, 5], 'AI_STORAGE', 0],
    ['retries not queued (fresh)', OUTCOMES['partial, retries only'], 'fresh', { stored: false, evictedItems: 0, error: full }, 2, [3, 0, 2], 'AI_STORAGE', 0],
    ['retries not queued (stored: reported)', OUTCOMES['partial, retries only'], 'stored', { stored: false, evictedItems: 0, error: full }, 2, [3, 0, 2], 'AI_STORAGE', 2],
    ['retries not queued after drops (late: both reported)', OUTCOMES['partial, retries and drops'], 'late', { stored: false, evictedItems: 0, error: full }, 2, [2, 0, 3], 'AI_PARTIAL', 3],
    ['retries queued by evicting after drops (the drop error stays)', OUTCOMES['partial, retries and drops'], 'fresh', { stored: true, id: 'r', evictedItems: 4 }, 2, [2, 2, 1], 'AI_PARTIAL', 0],
  ])('%s', (_label, outcome, origin, put, itemsQueued, [accepted, queued, dropped], code, reportedDrop) => {
    const s = settleStoreResult(settleOutcome(outcome, origin, 5), put, itemsQueued);
    expect({ accepted: s.receipt.accepted, queued: s.receipt.queued, dropped: s.receipt.dropped }).toEqual({ accepted, queued, dropped });
    expect(s.receipt.error?.code).toBe(code);
    expect(s.drops.reduce((n, d) => n + d.items, 0)).toBe(reportedDrop);
  });

  it('a partial error rebuilt after a failed queue counts the retries as dropped', () => {
    const s = settleStoreResult(settleOutcome(OUTCOMES['partial, retries and drops'], 'fresh', 5), { stored: false, evictedItems: 0, error: full }, 2);
    const e = s.receipt.error as PartialExportError;
    expect(e.dropped).toBe(3);
    expect(e.message).toBe('ingestion accepted 2 of 5 items; 3 dropped (400 bad field)');
  });

  it('names the evicted count and keeps the store error when queuing failed', () => {
    expect(settleStoreResult(settleOutcome(OUTCOMES.retryable, 'fresh', 5), { stored: true, evictedItems: 7 }, 5).receipt.error?.message).toBe('offline queue full: 7 older items were evicted to keep these');
    expect(settleStoreResult(settleOutcome(OUTCOMES.retryable, 'fresh', 5), { stored: false, evictedItems: 0, error: full }, 5).receipt.error).toBe(full);
    expect(settleStoreResult(settleOutcome(OUTCOMES.retryable, 'stored', 5), { stored: false, evictedItems: 0 }, 5).drops[0]?.error.message).toBe('could not queue 5 items');
  });
});
