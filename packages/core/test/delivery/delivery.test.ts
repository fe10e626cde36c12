import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDelivery } from '../../src/delivery/delivery';
import { createFileStore } from '../../src/delivery/file-store';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { AuthError, TransportError } from '../../src/errors';
import { classifyResponse } from '../../src/transport/classify-response';
import type { SendOutcome } from '../../src/transport/transport-types';
import { fakeTransport, ok, settle, unavailable, waitFor } from './helpers/fake-transport';
import { captureDiag } from './helpers/log-capture';

const items = (from: number, n: number): { id: number }[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));
const idsOf = (list: unknown[]): number[] => list.map((x) => (x as { id: number }).id).sort((a, b) => a - b);

describe('createDelivery', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  const setup = (answer?: Parameters<typeof fakeTransport>[0], maxBytes = 1 << 20) => {
    const transport = fakeTransport(answer);
    const store = createMemoryQueue({ maxBytes });
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000, random: () => 0.5 });
    return { transport, store, delivery };
  };

  /** One body whose send is answered only by `answerLate`, queued at a deadline 1 s away that passes first. */
  const sendPastDeadline = async (n: number) => {
    let answer: (o: SendOutcome) => void = () => undefined;
    const s = setup(() => new Promise<SendOutcome>((resolve) => { answer = resolve; }));
    s.delivery.setDeadline(Date.now() + 1_000);
    const pending = s.delivery.send(await encodeEnvelopes(items(0, n), false));
    await settle();
    await jest.advanceTimersByTimeAsync(1_000);
    return { ...s, receipt: await pending, answerLate: (o: SendOutcome) => answer(o) };
  };

  it('sends now and reports the items accepted', async () => {
    const { transport, delivery } = setup();
    const receipt = await delivery.send(await encodeEnvelopes(items(0, 3), false));
    expect(receipt).toEqual({ accepted: 3, queued: 0, dropped: 0 });
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2]);
  });

  it('a transport that rejects (a bug) loses nothing: the body is queued as retryable and delivered by the drain', async () => {
    const { transport, delivery, store } = setup((b, _i, call) => (call === 0 ? Promise.reject(new Error('socket hang up')) : ok(b.itemCount)));
    const logs = captureDiag();
    try {
      expect(await delivery.send(await encodeEnvelopes(items(0, 2), false))).toEqual({ accepted: 0, queued: 2, dropped: 0 });
      expect(logs.of('debug').join('\n')).toContain('transport rejected (treated as retryable): Error: socket hang up');
    } finally {
      logs.restore();
    }
    await jest.advanceTimersByTimeAsync(2_000);
    await waitFor(() => transport.delivered.length >= 2);
    expect(idsOf(transport.delivered)).toEqual([0, 1]);
    await settle();
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('waits for a fresh send its whole timeout (plus grace), so an answer late in the timeout is not queued as well', async () => {
    const { transport, delivery, store } = setup((b) => new Promise<SendOutcome>((resolve) => { setTimeout(() => resolve(ok(b.itemCount)), 9_500); }));
    const pending = delivery.send(await encodeEnvelopes(items(0, 2), false));
    await settle();
    await jest.advanceTimersByTimeAsync(9_500);
    expect(await pending).toEqual({ accepted: 2, queued: 0, dropped: 0 });
    expect(await store.stats()).toMatchObject({ requests: 0 });
    expect(transport.sends).toHaveLength(1);
  });

  it('queues a body on a retryable outcome and drains it after the backoff', async () => {
    const { transport, delivery, store } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
    const receipt = await delivery.send(await encodeEnvelopes(items(0, 2), true));
    expect(receipt).toEqual({ accepted: 0, queued: 2, dropped: 0 });
    await jest.advanceTimersByTimeAsync(1_999);
    await settle();
    expect(transport.sends).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await waitFor(() => transport.delivered.length >= 2);
    expect(idsOf(transport.delivered)).toEqual([0, 1]);
    await settle();
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('429 with Retry-After 5 s: nothing (fresh or queued) is sent before 5 s', async () => {
    const start = Date.now();
    const { transport, delivery } = setup((b, _i, call) => (call === 0 ? unavailable(5_000) : ok(b.itemCount)));
    await delivery.send(await encodeEnvelopes(items(0, 1), false));
    for (let i = 1; i <= 4; i++) {
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await delivery.send(await encodeEnvelopes(items(i, 1), false))).toMatchObject({ queued: 1 });
    }
    await jest.advanceTimersByTimeAsync(999);
    await settle();
    expect(transport.sends).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(transport.sends.slice(1).every((s) => s.atTimestamp - start >= 5_000)).toBe(true);
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2, 3, 4]);
  });

  it('439 for 2 minutes (fake time): sending pauses, requests stay bounded, memory stays bounded, then all drain', async () => {
    let quota = true;
    const answer = (b: { itemCount: number }): SendOutcome =>
      (quota ? classifyResponse({ statusCode: 439, headers: {}, bodyText: '', itemCount: b.itemCount, tokenSent: true }) : ok(b.itemCount));
    const { transport, delivery, store } = setup(answer, 64 * 1024);
    let next = 0;
    for (let second = 0; second < 120; second += 5) {
      const receipt = await delivery.send(await encodeEnvelopes(items(next, 10), false));
      next += 10;
      expect(receipt.dropped).toBe(0);
      await jest.advanceTimersByTimeAsync(5_000);
    }
    await settle();
    // One probe per pause (5 min default without Retry-After): no spin, no storm.
    expect(transport.sends.length).toBeLessThanOrEqual(2);
    expect(jest.getTimerCount()).toBeLessThanOrEqual(2); // one drain timer (+ at most one pending send timer): no spin
    expect((await store.stats()).bytes).toBeLessThanOrEqual(64 * 1024);
    quota = false;
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    await settle(50);
    expect(idsOf(transport.delivered)).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('on a 206 re-sends only the retriable items and reports the dropped ones', async () => {
    const { transport, delivery } = setup((b, _i, call) => (call === 0
      ? { status: 'partial', accepted: 2, retryIndexes: [1, 3], dropped: 1, reasons: ['drop:4', '400 invalid field'] }
      : ok(b.itemCount)));
    const receipt = await delivery.send(await encodeEnvelopes(items(0, 5), true));
    expect(receipt).toMatchObject({ accepted: 2, queued: 2, dropped: 1, error: { code: 'AI_PARTIAL' } });
    await jest.advanceTimersByTimeAsync(2_000);
    await waitFor(() => transport.sends.length >= 2);
    expect(idsOf(transport.sends[1]!.items)).toEqual([1, 3]);
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2, 3]);
  });

  it('uses the caller\'s rebuild for a 206 retry body', async () => {
    const { delivery } = setup((b, _i, call) => (call === 0 ? { status: 'partial', accepted: 1, retryIndexes: [0], dropped: 0, reasons: [] } : ok(b.itemCount)));
    const rebuild = jest.fn(async (indexes: readonly number[]) => encodeEnvelopes(indexes.map((i) => ({ id: 100 + i })), false));
    const receipt = await delivery.send(await encodeEnvelopes(items(0, 2), false), { rebuild });
    expect(receipt).toEqual({ accepted: 1, queued: 1, dropped: 0 });
    expect(rebuild).toHaveBeenCalledWith([0]);
  });

  it('keeps an auth-failed body (queued, no error: the transport logs the cause once) and retries it with slow backoff', async () => {
    const error = new AuthError('identity lacks the Monitoring Metrics Publisher role', 403);
    const { transport, delivery } = setup((b, _i, call) => (call === 0 ? { status: 'auth-failed', error, retryAfterMillis: 60_000 } : ok(b.itemCount)));
    expect(await delivery.send(await encodeEnvelopes(items(0, 1), false))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
    // While the auth backoff lasts, fresh bodies are kept.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(await delivery.send(await encodeEnvelopes(items(1, 1), false))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
    await jest.advanceTimersByTimeAsync(49_999);
    await settle();
    expect(transport.sends).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(idsOf(transport.delivered)).toEqual([0, 1]);
  });

  it('drops a body on failure and says why', async () => {
    const error = new TransportError('ingestion refused the items (400)', { statusCode: 400 });
    const { delivery, store } = setup(() => ({ status: 'failure', error }));
    expect(await delivery.send(await encodeEnvelopes(items(0, 2), false))).toEqual({ accepted: 0, queued: 0, dropped: 2, error });
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('drains the backlog back to back (no sleeping between files) with at most 4 sends in flight once ingestion answers again', async () => {
    let down = true;
    const { transport, delivery, store } = setup(async (b) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return down ? unavailable() : ok(b.itemCount);
    });
    for (let i = 0; i < 40; i++) await delivery.send(await encodeEnvelopes(items(i, 1), false));
    expect(transport.sends).toHaveLength(1); // the gate closed after the first failure: the rest went straight to the queue
    down = false;
    await jest.advanceTimersByTimeAsync(2_000); // one probe after the backoff...
    await settle(200); // ...then everything, without advancing time
    expect(idsOf(transport.delivered)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(transport.maxInFlight).toBeLessThanOrEqual(4);
    expect(transport.maxInFlight).toBeGreaterThan(1);
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('drains 200 files of an offline-store backlog without any timer advancing (no sleep between files)', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-drain-'));
    try {
      const store = createFileStore({ disabled: false, directory: dir, maxBytes: 50 << 20, maxAgeMillis: 3_600_000 });
      for (let i = 0; i < 200; i++) await store.put(await encodeEnvelopes(items(i, 1), false));
      const transport = fakeTransport();
      createDelivery({ transport, store, sendTimeoutMillis: 10_000 }).start();
      await waitFor(() => transport.delivered.length >= 200, 30_000);
      expect(idsOf(transport.delivered)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(transport.maxInFlight).toBeLessThanOrEqual(4);
      await waitFor(() => fs.readdirSync(dir).length === 0, 30_000);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it('starts draining when a fresh send succeeds after failures', async () => {
    const { transport, delivery, store } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
    await delivery.send(await encodeEnvelopes(items(0, 1), false));
    await jest.advanceTimersByTimeAsync(2_000); // the gate opens after the first backoff (2 s at mid jitter)
    await delivery.send(await encodeEnvelopes(items(1, 1), false));
    await settle();
    expect(idsOf(transport.delivered)).toEqual([0, 1]);
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('start() drains a backlog left by an earlier run', async () => {
    const { transport, delivery, store } = setup();
    await store.put(await encodeEnvelopes(items(7, 2), false));
    delivery.start();
    await settle();
    expect(idsOf(transport.delivered)).toEqual([7, 8]);
  });

  it('queues a send that outlives the shutdown deadline, and un-queues it if it succeeds late', async () => {
    const { store, receipt, answerLate } = await sendPastDeadline(2);
    expect(receipt).toEqual({ accepted: 0, queued: 2, dropped: 0 });
    expect(await store.stats()).toMatchObject({ requests: 1 });
    answerLate(ok(2));
    await settle();
    expect(await store.stats()).toMatchObject({ requests: 0 });
  });

  it('flush() sends the backlog despite our own backoff but never during a server hint', async () => {
    let hint = true;
    const { transport, delivery } = setup((b) => (hint ? unavailable(30_000) : ok(b.itemCount)));
    await delivery.send(await encodeEnvelopes(items(0, 1), false));
    await delivery.flush(Date.now() + 5_000);
    expect(transport.sends).toHaveLength(1);
    hint = false;
    await jest.advanceTimersByTimeAsync(30_000);
    await settle();
    expect(idsOf(transport.delivered)).toEqual([0]);

    const other = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
    await other.delivery.send(await encodeEnvelopes(items(5, 1), false));
    await other.delivery.flush(Date.now() + 5_000);
    expect(idsOf(other.transport.delivered)).toEqual([5]);
  });
  describe('persistBeforeSend (write-ahead)', () => {
    const setupAhead = (answer: Parameters<typeof fakeTransport>[0]) => {
      const transport = fakeTransport(answer);
      const store = createMemoryQueue();
      const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000, random: () => 0.5, persistBeforeSend: true });
      return { transport, store, delivery };
    };

    it('holds the body in the store (leased, so the drain cannot send it twice) while it is sent, and deletes it after a 2xx', async () => {
      let answer: (o: SendOutcome) => void = () => undefined;
      const { transport, store, delivery } = setupAhead(() => new Promise<SendOutcome>((resolve) => { answer = resolve; }));
      const pending = delivery.send(await encodeEnvelopes(items(0, 2), false));
      await settle();
      expect(await store.stats()).toMatchObject({ requests: 1, items: 2 });
      expect(await store.claim(1)).toEqual([]); // leased to the send in flight
      answer(ok(2));
      expect(await pending).toEqual({ accepted: 2, queued: 0, dropped: 0 });
      expect(await store.stats()).toMatchObject({ requests: 0 });
      expect(transport.sends).toHaveLength(1);
    });

    it('hands the written-ahead body to the drain after a retryable failure, without writing it again', async () => {
      const { transport, store, delivery } = setupAhead((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
      const put = jest.spyOn(store, 'put');
      expect(await delivery.send(await encodeEnvelopes(items(0, 2), false))).toEqual({ accepted: 0, queued: 2, dropped: 0 });
      expect(put).not.toHaveBeenCalled();
      expect(await store.stats()).toMatchObject({ requests: 1 });
      await jest.advanceTimersByTimeAsync(2_000);
      await waitFor(() => transport.delivered.length >= 2);
      await settle();
      expect(idsOf(transport.delivered)).toEqual([0, 1]);
      expect(await store.stats()).toMatchObject({ requests: 0 });
    });

    it('on a 206 queues only the retriable items and deletes the written-ahead body', async () => {
      const { transport, store, delivery } = setupAhead((b, _i, call) => (call === 0
        ? { status: 'partial', accepted: 2, retryIndexes: [1, 3], dropped: 1, reasons: ['400 invalid field'] }
        : ok(b.itemCount)));
      const receipt = await delivery.send(await encodeEnvelopes(items(0, 5), false));
      expect(receipt).toMatchObject({ accepted: 2, queued: 2, dropped: 1, error: { code: 'AI_PARTIAL' } });
      expect(await store.stats()).toMatchObject({ requests: 1, items: 2 }); // the retry body only
      await jest.advanceTimersByTimeAsync(2_000);
      await waitFor(() => transport.sends.length >= 2);
      await settle();
      expect(idsOf(transport.sends[1]!.items)).toEqual([1, 3]);
      expect(await store.stats()).toMatchObject({ requests: 0 });
    });

    it('deletes the written-ahead body when ingestion refuses it for good, reporting the drop', async () => {
      const error = new TransportError('ingestion refused the items (400)', { statusCode: 400 });
      const { store, delivery } = setupAhead(() => ({ status: 'failure', error }));
      expect(await delivery.send(await encodeEnvelopes(items(0, 2), false))).toEqual({ accepted: 0, queued: 0, dropped: 2, error });
      expect(await store.stats()).toMatchObject({ requests: 0 });
    });
  });

  describe('drained and late sends obey the same settlement (issue 20: changes that lost data went unnoticed)', () => {
    it('a drained body that fails transiently is released to the store, not deleted, and sent again later', async () => {
      const { transport, delivery, store } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
      await store.put(await encodeEnvelopes(items(0, 2), false));
      delivery.start();
      await settle();
      expect(transport.sends).toHaveLength(1);
      expect(await store.stats()).toMatchObject({ requests: 1, items: 2 });
      await jest.advanceTimersByTimeAsync(2_000);
      await settle();
      expect(idsOf(transport.delivered)).toEqual([0, 1]);
      expect(await store.stats()).toMatchObject({ requests: 0 });
    });

    it('a drained body refused for good is deleted once, not retried, and the drop is logged', async () => {
      const logs = captureDiag();
      try {
        const error = new TransportError('ingestion refused the items (400)', { statusCode: 400 });
        const { transport, delivery, store } = setup(() => ({ status: 'failure', error }));
        await store.put(await encodeEnvelopes(items(0, 3), false));
        delivery.start();
        await settle();
        expect(await store.stats()).toMatchObject({ requests: 0 });
        await jest.advanceTimersByTimeAsync(120_000);
        await settle();
        expect(transport.sends).toHaveLength(1);
        expect(logs.of('error').join('\n')).toMatch(/3 queued items dropped: AI_TRANSPORT: ingestion refused the items \(400\)/);
      } finally {
        logs.restore();
      }
    });

    it('a drained 206 queues only the retriable items and deletes the original', async () => {
      const { transport, delivery, store } = setup((b, _i, call) => (call === 0
        ? { status: 'partial', accepted: 1, retryIndexes: [2], dropped: 1, reasons: ['drop:1', '400 bad'] }
        : ok(b.itemCount)));
      await store.put(await encodeEnvelopes(items(0, 3), false));
      delivery.start();
      await settle();
      expect(await store.stats()).toMatchObject({ requests: 1, items: 1 });
      await jest.advanceTimersByTimeAsync(2_000);
      await settle();
      expect(idsOf(transport.sends[1]!.items)).toEqual([2]);
      expect(idsOf(transport.delivered)).toEqual([0, 2]);
      expect(await store.stats()).toMatchObject({ requests: 0 });
    });

    it('a late refusal after the deadline removes the queued copy and reports the drop', async () => {
      const logs = captureDiag();
      try {
        const { store, receipt, answerLate } = await sendPastDeadline(2);
        expect(receipt).toEqual({ accepted: 0, queued: 2, dropped: 0 });
        answerLate({ status: 'failure', error: new TransportError('ingestion refused the items (400)', { statusCode: 400 }) });
        await settle();
        expect(await store.stats()).toMatchObject({ requests: 0 });
        expect(logs.of('error').join('\n')).toMatch(/2 queued items dropped/);
      } finally {
        logs.restore();
      }
    });

    it('a late transient failure leaves the queued copy for the drain', async () => {
      const { store, answerLate } = await sendPastDeadline(2);
      answerLate(unavailable());
      await settle();
      expect(await store.stats()).toMatchObject({ requests: 1, items: 2 });
    });

    it('write-ahead: a send that outlives the deadline keeps its lease (never handed out twice), then settles by its late answer', async () => {
      const answers: ((o: SendOutcome) => void)[] = [];
      const transport = fakeTransport(() => new Promise<SendOutcome>((resolve) => { answers.push(resolve); }));
      const store = createMemoryQueue();
      const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000, random: () => 0.5, persistBeforeSend: true });
      delivery.setDeadline(Date.now() + 1_000);
      const first = delivery.send(await encodeEnvelopes(items(0, 2), false));
      const second = delivery.send(await encodeEnvelopes(items(2, 1), false));
      await settle();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await first).toEqual({ accepted: 0, queued: 2, dropped: 0 });
      expect(await second).toEqual({ accepted: 0, queued: 1, dropped: 0 });
      expect(await store.stats()).toMatchObject({ requests: 2 });
      expect(await store.claim(5)).toEqual([]); // both still leased to their sends in flight
      await delivery.flush(Date.now() + 5_000);
      expect(transport.sends).toHaveLength(2); // the drain did not send them again
      answers[0]!(ok(2));
      answers[1]!(unavailable());
      await settle();
      // The first is deleted after its 2xx; the second is released to the drain, which sends it again.
      expect(await store.stats()).toMatchObject({ requests: 1, items: 1 });
      await waitFor(() => transport.sends.length >= 3);
      expect(idsOf(transport.sends[2]!.items)).toEqual([2]);
    });

    it('a fresh 206 whose retry body cannot be queued reports the retriable items as dropped', async () => {
      const { delivery } = setup(() => ({ status: 'partial', accepted: 1, retryIndexes: [1], dropped: 0, reasons: [] }), 1);
      const receipt = await delivery.send(await encodeEnvelopes(items(0, 2), false));
      expect(receipt).toMatchObject({ accepted: 1, queued: 0, dropped: 1, error: { code: 'AI_STORAGE' } });
    });

    it('a body queued while the gate is closed wakes the drain, which sends it when the gate opens', async () => {
      const { transport, delivery } = setup((b, _i, call) => (call === 0 ? unavailable() : ok(b.itemCount)));
      await delivery.send(await encodeEnvelopes(items(0, 1), false));
      expect(await delivery.send(await encodeEnvelopes(items(1, 1), false))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
      await jest.advanceTimersByTimeAsync(2_000);
      await settle();
      expect(idsOf(transport.delivered)).toEqual([0, 1]);
    });

    it('after close(), a body is queued, never sent', async () => {
      const { transport, delivery, store } = setup();
      await delivery.close();
      expect(await delivery.send(await encodeEnvelopes(items(0, 1), false))).toEqual({ accepted: 0, queued: 1, dropped: 0 });
      expect(transport.sends).toHaveLength(0);
      expect(await store.stats()).toMatchObject({ requests: 1 });
    });
  });
});
