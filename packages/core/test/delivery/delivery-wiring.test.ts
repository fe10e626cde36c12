import { createDelivery } from '../../src/delivery/delivery';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { AuthError } from '../../src/errors';
import { AUTH_BACKOFF, QUOTA_BACKOFF } from '../../src/retry/backoff';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { fakeTransport, ok, settle, unavailable } from './helpers/fake-transport';
import { captureDiag } from './helpers/log-capture';

// How createDelivery wires its parts: which sends go fresh and which are queued unsent, who wakes
// the drain, what start() and close() do (Stryker's survivors of delivery.ts).
describe('createDelivery wiring', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  const setup = (answer?: Parameters<typeof fakeTransport>[0], extra: Partial<Parameters<typeof createDelivery>[0]> = {}) => {
    const transport = fakeTransport(answer);
    const store = createMemoryQueue();
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000, random: () => 0.5, ...extra });
    return { transport, store, delivery };
  };
  const body = (id: number) => encodeEnvelopes([{ id }], false);

  it('a body sent at exactly the deadline is queued unsent, and the drain (woken by it) delivers it', async () => {
    const { transport, delivery, store } = setup();
    delivery.setDeadline(Date.now());
    expect(await delivery.send(await body(1))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
    await settle();
    expect(transport.delivered).toEqual([{ id: 1 }]); // sent once, by the drain
    expect(transport.sends).toHaveLength(1);
    expect(await store.stats()).toMatchObject({ requests: 0 });
    await delivery.close();
  });

  it('a body sent a millisecond before the deadline goes fresh', async () => {
    const { delivery } = setup();
    delivery.setDeadline(Date.now() + 1);
    expect(await delivery.send(await body(1))).toEqual({ accepted: 1, queued: 0, dropped: 0 });
    await delivery.close();
  });

  it('writes nothing ahead unless persistBeforeSend is set', async () => {
    for (const persistBeforeSend of [undefined, false, true]) {
      const { delivery, store } = setup(undefined, persistBeforeSend === undefined ? {} : { persistBeforeSend });
      const putLeased = jest.spyOn(store, 'putLeased');
      await delivery.send(await body(1));
      expect(putLeased).toHaveBeenCalledTimes(persistBeforeSend === true ? 1 : 0);
      await delivery.close();
    }
  });

  it('logs a kept auth failure at debug with its code and that the telemetry is kept', async () => {
    const error = new AuthError('identity lacks the Monitoring Metrics Publisher role', 403);
    const { delivery } = setup(() => ({ status: 'auth-failed', error, retryAfterMillis: 60_000 }));
    const logs = captureDiag();
    try {
      await delivery.send(await body(1));
      expect(logs.of('debug').join('\n')).toContain(`${error.code}: identity lacks the Monitoring Metrics Publisher role (telemetry is kept and retried with slow backoff)`);
    } finally {
      logs.restore();
    }
    await delivery.close();
  });

  it('start() with a replay spread waits the offset its random number gives, exactly', async () => {
    const { transport, delivery, store } = setup(undefined, { replaySpread: { maxStartOffsetMillis: 1_000, minSendIntervalMillis: 10 }, random: () => 0.5 });
    await store.put(await body(1));
    delivery.start();
    await settle();
    await jest.advanceTimersByTimeAsync(499);
    await settle();
    expect(transport.sends).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(transport.sends).toHaveLength(1);
    await delivery.close();
  });

  it('uses the gate policy it is given (a 100 ms transient backoff retries after 100 ms, not 2 s)', async () => {
    const transient = { initialMillis: 100, maxMillis: 100, multiplier: 1, jitter: 0 };
    const { transport, delivery } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)), { gatePolicy: { transient, quota: QUOTA_BACKOFF, auth: AUTH_BACKOFF } });
    await delivery.send(await body(1));
    await jest.advanceTimersByTimeAsync(99);
    await settle();
    expect(transport.sends).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(transport.delivered).toEqual([{ id: 1 }]);
    await delivery.close();
  });

  it('a body queued unsent (gate closed) that evicted older ones gets a FAILED receipt (its export is told)', async () => {
    const first = await body(1);
    const transport = fakeTransport((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
    const store = createMemoryQueue({ maxBytes: first.data.byteLength + 1 });
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000 });
    expect(await delivery.send(first)).toEqual({ accepted: 0, queued: 1, dropped: 0 }); // queued; the gate closes
    const receipt = await delivery.send(await body(2)); // queued unsent, evicting the first
    expect(receipt).toMatchObject({ accepted: 0, queued: 1, dropped: 0, error: { code: 'AI_STORAGE' } });
    await delivery.close();
  });

  it('close() stops the drain: a queued body is not sent after it, and the store is closed', async () => {
    const { transport, delivery, store } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
    const close = jest.spyOn(store, 'close');
    expect(await delivery.send(await body(1))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
    await delivery.close();
    expect(close).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(transport.sends).toHaveLength(1);
  });
});
