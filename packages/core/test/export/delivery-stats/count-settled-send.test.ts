import type { SettledSend } from '../../../src/delivery/delivery-observer';
import { UNANSWERED } from '../../../src/delivery/settle-outcome';
import { countSettledSend, type SendCounts } from '../../../src/export/delivery-stats/count-settled-send';
import { AuthError, CredentialUnavailableError, TransportError } from '../../../src/errors';

type Send = Omit<SettledSend, 'body'>;
const send = (outcome: Send['outcome'], extra: Partial<Send> = {}): Send => ({ outcome, attempted: true, notQueued: 0, evicted: 0, ...extra });
const only = (items: SendCounts['items']): SendCounts => ({ items, elsewhere: [] });

describe('countSettledSend (one row per outcome)', () => {
  it.each<[string, Send, SendCounts]>([
    ['200: every item succeeded', send({ status: 'success', itemCount: 3 }), only([{ event: { metric: 'success' }, indexes: 'all' }])],
    ['400: every item dropped with the status', send({ status: 'failure', error: new TransportError('refused', { statusCode: 400 }) }),
      only([{ event: { metric: 'dropped', code: '400' }, indexes: 'all' }])],
    ['503: every item retried with the status', send({ status: 'retryable', error: new TransportError('503', { statusCode: 503 }) }),
      only([{ event: { metric: 'retry', code: '503' }, indexes: 'all' }])],
    ['a network error: CLIENT_EXCEPTION', send({ status: 'retryable', error: new TransportError('network error (ECONNREFUSED)') }),
      only([{ event: { metric: 'retry', code: 'CLIENT_EXCEPTION' }, indexes: 'all' }])],
    ['a request timeout: CLIENT_TIMEOUT', send({ status: 'retryable', error: new TransportError('timed out', { timedOut: true }) }),
      only([{ event: { metric: 'retry', code: 'CLIENT_TIMEOUT' }, indexes: 'all' }])],
    ['401 kept: retried with the status', send({ status: 'auth-failed', error: new AuthError('rejected', 401) }),
      only([{ event: { metric: 'retry', code: '401' }, indexes: 'all' }])],
    ['a credential failure kept: CLIENT_EXCEPTION', send({ status: 'auth-failed', error: new CredentialUnavailableError('no identity') }),
      only([{ event: { metric: 'retry', code: 'CLIENT_EXCEPTION' }, indexes: 'all' }])],
    ['sent, cut off by the deadline: CLIENT_TIMEOUT', send(UNANSWERED), only([{ event: { metric: 'retry', code: 'CLIENT_TIMEOUT' }, indexes: 'all' }])],
    ['queued unsent (gate closed): no attempt, nothing counted', send(UNANSWERED, { attempted: false }), only([])],
    ['queued unsent but the store refused it: dropped', send(UNANSWERED, { attempted: false, notQueued: 2 }),
      only([{ event: { metric: 'dropped', code: 'CLIENT_PERSISTENCE_CAPACITY' }, indexes: 'all' }])],
    ['503 and the store could not keep it: dropped, not retried', send({ status: 'retryable', error: new TransportError('503', { statusCode: 503 }) }, { notQueued: 3 }),
      only([{ event: { metric: 'dropped', code: 'CLIENT_PERSISTENCE_CAPACITY' }, indexes: 'all' }])],
    ['200 after queueing evicted 5 older items: those are dropped', send({ status: 'success', itemCount: 1 }, { evicted: 5 }),
      { items: [{ event: { metric: 'success' }, indexes: 'all' }], elsewhere: [{ event: { metric: 'dropped', code: 'CLIENT_PERSISTENCE_CAPACITY' }, count: 5 }] }],
  ])('%s', (_name, input, expected) => {
    expect(countSettledSend(input, 3)).toEqual(expected);
  });

  it('206: accepted items succeed, each retried and dropped item is counted by its own status', () => {
    const counts = countSettledSend(send({
      status: 'partial', accepted: 2, retryIndexes: [0, 3], retryStatusCodes: [500, 429], dropped: 2, reasons: [],
      droppedItems: [{ index: 1, statusCode: 400 }, { index: 4 }],
    }), 6);
    expect(counts.items).toEqual([
      { event: { metric: 'retry', code: '500' }, indexes: [0] },
      { event: { metric: 'retry', code: '429' }, indexes: [3] },
      { event: { metric: 'dropped', code: '400' }, indexes: [1] },
      { event: { metric: 'dropped', code: 'UNKNOWN' }, indexes: [4] },
      { event: { metric: 'success' }, indexes: [2, 5] },
    ]);
  });

  it('206 refusing items without naming them: as many of the rest are dropped, never counted as successes', () => {
    const counts = countSettledSend(send({ status: 'partial', accepted: 2, retryIndexes: [], dropped: 1, reasons: [], droppedItems: [] }), 3);
    expect(counts.items).toEqual([
      { event: { metric: 'dropped', code: '206' }, indexes: [2] },
      { event: { metric: 'success' }, indexes: [0, 1] },
    ]);
  });

  it('206 whose retried items the store could not keep: those are dropped', () => {
    const counts = countSettledSend(send({ status: 'partial', accepted: 1, retryIndexes: [1], retryStatusCodes: [503], dropped: 0, reasons: [], droppedItems: [] }, { notQueued: 1 }), 2);
    expect(counts.items).toEqual([
      { event: { metric: 'dropped', code: 'CLIENT_PERSISTENCE_CAPACITY' }, indexes: [1] },
      { event: { metric: 'success' }, indexes: [0] },
    ]);
  });
});
