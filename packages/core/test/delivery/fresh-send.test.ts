import { NO_COPY, type StoreCopy } from '../../src/delivery/apply-store-action';
import { sendFresh, type FreshSendContext } from '../../src/delivery/fresh-send';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createSendDeadline } from '../../src/delivery/send-deadline';
import { createSendGate, type SendGate } from '../../src/delivery/send-gate';
import type { SendSettler } from '../../src/delivery/send-settler';
import { UNANSWERED, type SendOrigin, type SettledOutcome } from '../../src/delivery/settle-outcome';
import type { BodyStore, LeasedPut } from '../../src/delivery/store-types';
import type { RequestBody, SendOutcome } from '../../src/transport/transport-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { settle as settleTurns } from './helpers/fake-transport';
import { captureDiag } from './helpers/log-capture';

const SEND_TIMEOUT_MILLIS = 1_000;
const success: SendOutcome = { status: 'success', itemCount: 1 };

/** A gate whose health and probe the test scripts, counting probe begins and ends. */
function probeGate(healthy: boolean, probeFree = true) {
  const counts = { begun: 0, ended: 0 };
  const gate: SendGate = {
    ...createSendGate(),
    isHealthy: () => healthy,
    tryBeginProbe: () => { if (probeFree) counts.begun++; return probeFree; },
    endProbe: () => { counts.ended++; },
  };
  return { gate, counts };
}

interface Settled { readonly outcome: SettledOutcome; readonly origin: SendOrigin; readonly copy: StoreCopy }

/** A fresh-send context of counting fakes; `answer` decides each send. */
function context(over: Partial<FreshSendContext> & { answer?: () => Promise<SendOutcome> } = {}) {
  const sends: number[] = [];
  const notes: SendOutcome[] = [];
  const settled: Settled[] = [];
  const unsent: RequestBody[] = [];
  const queuedCopy: StoreCopy = { kind: 'queued', id: 'held-1' };
  const settle: SendSettler = async (outcome, origin, _body, copy) => {
    settled.push({ outcome, origin, copy });
    return { settlement: { origin, storeAction: { kind: 'keep' }, receipt: { accepted: 0, queued: 1, dropped: 0 }, drops: [] }, copy: origin === 'fresh' ? queuedCopy : NO_COPY };
  };
  const ctx: FreshSendContext = {
    gate: createSendGate(), store: createMemoryQueue(), sendTimeoutMillis: SEND_TIMEOUT_MILLIS, deadline: createSendDeadline(Date.now), now: Date.now,
    persistBeforeSend: false,
    send: (_body, timeoutMillis) => { sends.push(timeoutMillis); return over.answer ? over.answer() : Promise.resolve(success); },
    note: (outcome) => { notes.push(outcome); },
    settle,
    queueUnsent: async (body) => { unsent.push(body); return { accepted: 0, queued: body.itemCount, dropped: 0 }; },
    ...over,
  };
  return { ctx, sends, notes, settled, unsent, queuedCopy };
}

const oneItem = (): Promise<RequestBody> => encodeEnvelopes([{ id: 1 }], false);
const rebuild = async (): Promise<RequestBody> => oneItem();
const never = (): Promise<SendOutcome> => new Promise<SendOutcome>(() => undefined);

describe('sendFresh', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  it.each([
    { name: 'healthy: sent, no probe taken', healthy: true, probeFree: true, sent: 1, unsent: 0, begun: 0, ended: 0 },
    { name: 'failing, probe free: sent as the probe, which is handed back', healthy: false, probeFree: true, sent: 1, unsent: 0, begun: 1, ended: 1 },
    { name: 'failing, another probe in flight: queued unsent, the probe untouched', healthy: false, probeFree: false, sent: 0, unsent: 1, begun: 0, ended: 0 },
  ])('$name', async ({ healthy, probeFree, sent, unsent, begun, ended }) => {
    const { gate, counts } = probeGate(healthy, probeFree);
    const c = context({ gate });
    await sendFresh(c.ctx, await oneItem(), rebuild);
    expect(c.sends).toHaveLength(sent);
    expect(c.unsent).toHaveLength(unsent);
    expect(counts).toEqual({ begun, ended });
    expect(c.settled.map((s) => s.origin)).toEqual(sent ? ['fresh'] : []);
  });

  it('hands the probe back even when writing ahead fails', async () => {
    const { gate, counts } = probeGate(false);
    const store: BodyStore = { ...createMemoryQueue(), putLeased: async () => { throw new Error('EIO'); } };
    const c = context({ gate, store, persistBeforeSend: true });
    await expect(sendFresh(c.ctx, await oneItem(), rebuild)).rejects.toThrow('EIO');
    expect(counts).toEqual({ begun: 1, ended: 1 });
  });

  it('does not hand the probe back before the send ends', async () => {
    const { gate, counts } = probeGate(false);
    let answer: (o: SendOutcome) => void = () => undefined;
    const c = context({ gate, answer: () => new Promise<SendOutcome>((resolve) => { answer = resolve; }) });
    const pending = sendFresh(c.ctx, await oneItem(), rebuild);
    await settleTurns();
    expect(counts).toEqual({ begun: 1, ended: 0 });
    answer(success);
    await pending;
    expect(counts).toEqual({ begun: 1, ended: 1 });
  });

  it.each([
    { name: 'no deadline: the send timeout', deadlineIn: undefined, timeout: SEND_TIMEOUT_MILLIS },
    { name: 'a deadline sooner than the timeout: what is left', deadlineIn: 300, timeout: 300 },
    { name: 'a deadline later than the timeout: the send timeout', deadlineIn: 5_000, timeout: SEND_TIMEOUT_MILLIS },
    { name: 'a deadline already past: 1 ms, never 0 or less', deadlineIn: -50, timeout: 1 },
  ])('times the send out at $name', async ({ deadlineIn, timeout }) => {
    const c = context();
    if (deadlineIn !== undefined) c.ctx.deadline.set(Date.now() + deadlineIn);
    await sendFresh(c.ctx, await oneItem(), rebuild);
    expect(c.sends).toEqual([timeout]);
  });

  it('notes and settles an answer within the wait', async () => {
    const c = context();
    await sendFresh(c.ctx, await oneItem(), rebuild);
    expect(c.notes).toEqual([success]);
    expect(c.settled).toEqual([{ outcome: success, origin: 'fresh', copy: NO_COPY }]);
  });

  it('waits the send timeout plus 1 s of grace, then settles it unanswered; its late answer is settled again (not noted) with the copy the first settlement left', async () => {
    let answer: (o: SendOutcome) => void = () => undefined;
    const c = context({ answer: () => new Promise<SendOutcome>((resolve) => { answer = resolve; }) });
    let receipt: unknown;
    void sendFresh(c.ctx, await oneItem(), rebuild).then((r) => { receipt = r; });
    await settleTurns();
    await jest.advanceTimersByTimeAsync(SEND_TIMEOUT_MILLIS + 999);
    expect(receipt).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await settleTurns();
    expect(receipt).toEqual({ accepted: 0, queued: 1, dropped: 0 });
    expect(c.settled).toEqual([{ outcome: UNANSWERED, origin: 'fresh', copy: NO_COPY }]);
    answer(success);
    await settleTurns();
    expect(c.settled[1]).toEqual({ outcome: success, origin: 'late', copy: c.queuedCopy });
    expect(c.notes).toEqual([]);
  });

  it('a deadline reached ends the wait at once', async () => {
    const c = context({ answer: never });
    c.ctx.deadline.set(Date.now() + 100_000);
    let done = false;
    void sendFresh(c.ctx, await oneItem(), rebuild).then(() => { done = true; });
    await settleTurns();
    c.ctx.deadline.set(Date.now() + 10);
    await jest.advanceTimersByTimeAsync(10);
    await settleTurns();
    expect(done).toBe(true);
    expect(c.settled.map((s) => s.outcome)).toEqual([UNANSWERED]);
  });

  it('keeps the process alive while it waits (an export is waiting: its wait timer is not unref\'d)', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const c = context({ answer: never });
    void sendFresh(c.ctx, await oneItem(), rebuild);
    await settleTurns();
    const waits = setTimeoutSpy.mock.calls.map((call, i) => ({ millis: call[1], handle: setTimeoutSpy.mock.results[i]?.value as NodeJS.Timeout }))
      .filter((t) => t.millis === SEND_TIMEOUT_MILLIS + 1_000);
    expect(waits).toHaveLength(1);
    expect(waits[0]!.handle.hasRef()).toBe(true);
    setTimeoutSpy.mockRestore();
    await jest.advanceTimersByTimeAsync(SEND_TIMEOUT_MILLIS + 1_000);
  });

  it('a late settlement that fails is logged at debug, never thrown', async () => {
    let answer: (o: SendOutcome) => void = () => undefined;
    const c = context({ answer: () => new Promise<SendOutcome>((resolve) => { answer = resolve; }) });
    const firstSettle = c.ctx.settle;
    const ctx: FreshSendContext = { ...c.ctx, settle: async (outcome, origin, ...rest) => {
      if (origin === 'late') throw new Error('store gone');
      return firstSettle(outcome, origin, ...rest);
    } };
    void sendFresh(ctx, await oneItem(), rebuild);
    await settleTurns();
    await jest.advanceTimersByTimeAsync(SEND_TIMEOUT_MILLIS + 1_000);
    const logs = captureDiag();
    try {
      answer(success);
      await settleTurns();
      expect(logs.of('debug').join('\n')).toContain('late send settlement failed: Error: store gone');
    } finally {
      logs.restore();
    }
  });

  describe('write-ahead', () => {
    it.each<{ name: string; persist: boolean; put: LeasedPut | undefined; copyKind: string }>([
      { name: 'off: nothing written, no copy', persist: false, put: undefined, copyKind: 'none' },
      { name: 'on: the leased entry is the copy settled', persist: true, put: undefined, copyKind: 'leased' },
      { name: 'on, but the store did not write it: sent anyway, no copy', persist: true, put: { stored: false, evictedItems: 0 }, copyKind: 'none' },
    ])('$name', async ({ persist, put, copyKind }) => {
      const queue = createMemoryQueue();
      let written = 0;
      const store: BodyStore = { ...queue, putLeased: async (body) => { written++; return put ?? queue.putLeased(body); } };
      const c = context({ store, persistBeforeSend: persist });
      await sendFresh(c.ctx, await oneItem(), rebuild);
      expect(written).toBe(persist ? 1 : 0);
      expect(c.sends).toHaveLength(1);
      expect(c.settled.map((s) => s.copy.kind)).toEqual([copyKind]);
      if (copyKind === 'leased') expect(c.settled[0]!.copy).toMatchObject({ put: { stored: true } });
    });
  });
});
