import { NO_COPY, type StoreCopy } from '../../src/delivery/apply-store-action';
import { selectBodyItems } from '../../src/delivery/body-codec';
import type { SettledSend } from '../../src/delivery/delivery-observer';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createSendSettler } from '../../src/delivery/send-settler';
import { UNANSWERED, type SendOrigin, type SettledOutcome } from '../../src/delivery/settle-outcome';
import type { BodyStore, PutResult } from '../../src/delivery/store-types';
import { StorageError, TransportError } from '../../src/errors';
import type { RequestBody } from '../../src/transport/transport-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { captureDiag } from './helpers/log-capture';

const retryable: SettledOutcome = { status: 'retryable', error: new TransportError('503', { statusCode: 503 }) };
const success: SettledOutcome = { status: 'success', itemCount: 2 };
const stored = (evictedItems = 0): PutResult => ({ stored: true, id: 'queued-1', evictedItems });
const refused: PutResult = { stored: false, evictedItems: 0, error: new StorageError('store full') };

/** A settler over a memory queue whose `put` answers `put` (when given), counting kicks and observed sends. */
function settlerWith(put?: PutResult, observer?: (send: SettledSend) => void) {
  const queue = createMemoryQueue();
  const store: BodyStore = put ? { ...queue, put: async () => put } : queue;
  const seen: SettledSend[] = [];
  let kicks = 0;
  const settle = createSendSettler({
    store, kick: () => { kicks++; }, now: Date.now,
    observer: { settled: observer ?? ((send) => { seen.push(send); }) },
  });
  return { settle, seen, store: queue, kicks: () => kicks };
}

const twoItems = (): Promise<RequestBody> => encodeEnvelopes([{ id: 1 }, { id: 2 }], false);
const rebuildOf = (body: RequestBody) => (indexes: readonly number[]) => selectBodyItems(body, indexes);

describe('createSendSettler', () => {
  it.each<{ name: string; outcome: SettledOutcome; origin: SendOrigin; put?: PutResult; kicks: number; notQueued: number; evicted: number; receipt: object }>([
    { name: 'a retryable body queued wakes the drain', outcome: retryable, origin: 'fresh', put: stored(), kicks: 1, notQueued: 0, evicted: 0, receipt: { accepted: 0, queued: 2, dropped: 0 } },
    { name: 'a retryable body the store refused wakes nothing and counts as not queued', outcome: retryable, origin: 'fresh', put: refused, kicks: 0, notQueued: 2, evicted: 0, receipt: { accepted: 0, queued: 0, dropped: 2 } },
    { name: 'a body queued by evicting older ones reports the evicted items', outcome: retryable, origin: 'fresh', put: stored(3), kicks: 1, notQueued: 0, evicted: 3, receipt: { accepted: 0, queued: 2, dropped: 0 } },
    { name: 'a 206 whose retries the store refused counts only those as not queued', outcome: { status: 'partial', accepted: 0, retryIndexes: [1], dropped: 1, reasons: ['drop'] }, origin: 'fresh', put: refused, kicks: 0, notQueued: 1, evicted: 0, receipt: { accepted: 0, queued: 0, dropped: 2 } },
    { name: 'a success queues nothing: nothing evicted, nothing woken', outcome: success, origin: 'fresh', kicks: 0, notQueued: 0, evicted: 0, receipt: { accepted: 2, queued: 0, dropped: 0 } },
    { name: 'an unanswered fresh send is held, not handed to the drain (it may still be in flight)', outcome: UNANSWERED, origin: 'fresh', kicks: 0, notQueued: 0, evicted: 0, receipt: { accepted: 0, queued: 2, dropped: 0 } },
  ])('$name', async ({ outcome, origin, put, kicks, notQueued, evicted, receipt }) => {
    const s = settlerWith(put);
    const body = await twoItems();
    const { settlement } = await s.settle(outcome, origin, body, NO_COPY, rebuildOf(body));
    expect(settlement.receipt).toMatchObject(receipt);
    expect(s.kicks()).toBe(kicks);
    expect(s.seen).toEqual([{ body, outcome, attempted: true, notQueued, evicted }]);
  });

  it.each([true, false])('tells the observer whether the body was sent (attempted: %s)', async (attempted) => {
    const s = settlerWith();
    const body = await twoItems();
    await s.settle(UNANSWERED, 'fresh', body, NO_COPY, rebuildOf(body), attempted);
    expect(s.seen.map((send) => send.attempted)).toEqual([attempted]);
  });

  it('returns where the copy is now: a drained body that succeeded is completed (no copy left)', async () => {
    const s = settlerWith();
    const body = await twoItems();
    await s.store.put(body);
    const [entry] = await s.store.claim(1);
    const copy: StoreCopy = { kind: 'leased', entry: entry! };
    const done = await s.settle(success, 'stored', body, copy, rebuildOf(body));
    expect(done.copy).toBe(NO_COPY);
    expect(await s.store.stats()).toMatchObject({ requests: 0 });
  });

  it('without an observer settles quietly (nothing thrown, nothing logged)', async () => {
    const settle = createSendSettler({ store: createMemoryQueue(), kick: () => undefined, now: Date.now });
    const body = await twoItems();
    const logs = captureDiag();
    try {
      const { settlement } = await settle(retryable, 'fresh', body, NO_COPY, rebuildOf(body));
      expect(settlement.receipt).toEqual({ accepted: 0, queued: 2, dropped: 0 });
      expect(logs.of('debug').filter((line) => line.includes('delivery'))).toEqual([]);
    } finally {
      logs.restore();
    }
  });

  it('a throwing observer is ignored (logged at debug): the send is still settled', async () => {
    const s = settlerWith(stored(), () => { throw new Error('counter broke'); });
    const body = await twoItems();
    const logs = captureDiag();
    try {
      const { settlement } = await s.settle(retryable, 'fresh', body, NO_COPY, rebuildOf(body));
      expect(settlement.receipt).toEqual({ accepted: 0, queued: 2, dropped: 0 });
      expect(s.kicks()).toBe(1);
      expect(logs.of('debug').join('\n')).toContain('delivery observer threw (ignored; the send is settled): Error: counter broke');
    } finally {
      logs.restore();
    }
  });

  it('reports the drops of sends nobody waits for, one error line per cause, each cause on its own', async () => {
    const s = settlerWith();
    const body = await twoItems();
    const badField = { status: 'failure', error: new TransportError('400 invalid field', { statusCode: 400 }) } as const;
    const tooLarge = { status: 'failure', error: new TransportError('413 too large', { statusCode: 413 }) } as const;
    const logs = captureDiag();
    try {
      await s.settle(badField, 'fresh', body, NO_COPY, rebuildOf(body)); // its export gets the receipt: no line
      await s.settle(badField, 'stored', body, NO_COPY, rebuildOf(body));
      await s.settle(badField, 'late', body, NO_COPY, rebuildOf(body)); // same cause: rate-limited
      await s.settle(tooLarge, 'stored', body, NO_COPY, rebuildOf(body)); // another cause: its own line
      expect(logs.of('error')).toEqual([
        '@appinsights-otel/core/delivery 2 queued items dropped: AI_TRANSPORT: 400 invalid field',
        '@appinsights-otel/core/delivery 2 queued items dropped: AI_TRANSPORT: 413 too large',
      ]);
    } finally {
      logs.restore();
    }
  });
});
