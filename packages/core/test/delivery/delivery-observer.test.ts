import { createDelivery } from '../../src/delivery/delivery';
import type { SettledSend } from '../../src/delivery/delivery-observer';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { fakeTransport, ok, settle, unavailable } from './helpers/fake-transport';

describe('createDelivery with an observer (delivery statistics)', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  it('reports every settlement: sent and accepted, sent and kept, queued unsent while the gate is closed, then drained', async () => {
    const seen: Omit<SettledSend, 'body'>[] = [];
    const transport = fakeTransport((body, _items, call) => (call === 0 ? unavailable() : ok(body.itemCount)));
    const delivery = createDelivery({
      transport, store: createMemoryQueue(), sendTimeoutMillis: 10_000, random: () => 0.5,
      observer: { settled: (report) => { seen.push({ outcome: report.outcome, attempted: report.attempted, notQueued: report.notQueued, evicted: report.evicted }); } },
    });
    await delivery.send(await encodeEnvelopes([{ id: 1 }], false)); // 503: kept
    await delivery.send(await encodeEnvelopes([{ id: 2 }], false)); // gate closed: queued without a send
    expect(seen.map((s) => [s.outcome.status, s.attempted, s.notQueued, s.evicted])).toEqual([
      ['retryable', true, 0, 0],
      ['unanswered', false, 0, 0],
    ]);
    await jest.advanceTimersByTimeAsync(60_000); // the gate opens; the drain sends both
    await settle();
    expect(seen.slice(2).map((s) => [s.outcome.status, s.attempted])).toEqual([['success', true], ['success', true]]);
    await delivery.close();
  });

  it('a throwing observer changes nothing: the send is settled and its receipt is right', async () => {
    const transport = fakeTransport();
    const delivery = createDelivery({
      transport, store: createMemoryQueue(), sendTimeoutMillis: 10_000,
      observer: { settled: () => { throw new Error('observer bug'); } },
    });
    expect(await delivery.send(await encodeEnvelopes([{ id: 1 }, { id: 2 }], false))).toEqual({ accepted: 2, queued: 0, dropped: 0 });
    expect(transport.delivered).toHaveLength(2);
    await delivery.close();
  });
});
