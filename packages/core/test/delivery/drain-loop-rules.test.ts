import { createDrainLoop } from '../../src/delivery/drain-loop';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createSendGate, type SendGate } from '../../src/delivery/send-gate';
import type { BodyStore, StoredRequest } from '../../src/delivery/store-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { settle } from './helpers/fake-transport';

// The drain loop's scheduling, replay and flush rules, one rule per test: each test fails when the
// rule's condition, boundary or bookkeeping is changed (Stryker's survivors of drain-loop.ts).

/** A gate whose answers the test sets: healthy and open unless told otherwise. */
function scriptedGate(over: Partial<{ healthy: boolean; hint: boolean }> = {}) {
  const state = { healthy: over.healthy ?? true, hint: over.hint ?? false, failures: 0, probes: 0 };
  const gate: SendGate = {
    ...createSendGate(),
    isOpen: () => true,
    openTimestamp: () => 0,
    isHintActive: () => state.hint,
    failureCount: () => state.failures,
    isHealthy: () => state.healthy,
    tryBeginProbe: () => { state.probes++; return true; },
    endProbe: () => undefined,
  };
  return { gate, state };
}

interface Sent { readonly id: string; readonly timeoutMillis: number; readonly at: number }

async function harness(files: number, maxConcurrentSends: number, gate: SendGate = createSendGate(), store: BodyStore = createMemoryQueue()) {
  const start = Date.now();
  for (let i = 0; i < files; i++) await store.put(await encodeEnvelopes([{ id: i }], false));
  const sends: Sent[] = [];
  const waiting: ((fail: boolean) => Promise<void>)[] = [];
  const sendStored = (entry: StoredRequest, timeoutMillis: number): Promise<void> => new Promise<void>((resolve) => {
    sends.push({ id: entry.id, timeoutMillis, at: Date.now() - start });
    waiting.push(async (fail) => {
      if (fail) { gate.onRetryable(undefined, false); await store.release(entry); } else { gate.onAnswer(); await store.complete(entry); }
      resolve();
    });
  });
  const loop = createDrainLoop({ store, gate, maxConcurrentSends, sendTimeoutMillis: 1_000, sendStored });
  const answer = async (fail = false): Promise<void> => {
    const next = waiting.shift();
    if (!next) throw new Error('no send in flight');
    await next(fail);
    await settle();
  };
  return { store, sends, loop, start, answer, inFlight: () => waiting.length, put: async (id: number) => { await store.put(await encodeEnvelopes([{ id }], false)); } };
}

describe('createDrainLoop: scheduling rules', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  it('a kick after a worker found the store empty (the pass still running) runs exactly one more pass, then the loop is idle', async () => {
    const h = await harness(1, 2);
    h.loop.kick();
    await settle();
    expect(h.sends).toHaveLength(1); // the second worker found the store empty meanwhile
    await h.put(1);
    h.loop.kick(); // during the pass: remembered, not lost
    await h.answer();
    await jest.advanceTimersByTimeAsync(0);
    await settle();
    expect(h.sends).toHaveLength(2);
    await h.answer();
    await jest.advanceTimersByTimeAsync(0);
    await settle();
    expect(h.sends).toHaveLength(2);
    expect(h.loop.isActive()).toBe(false); // the remembered kick is used up: no endless passes
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a running pass is active without a timer, and a kick during it starts no second pass', async () => {
    const h = await harness(3, 1);
    h.loop.kick();
    await settle();
    expect(h.inFlight()).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
    expect(h.loop.isActive()).toBe(true);
    h.loop.kick();
    await settle();
    expect(h.inFlight()).toBe(1); // still one send: no parallel pass
    h.loop.stop();
  });

  it('each send of a kicked pass gets the full send timeout', async () => {
    const h = await harness(1, 1);
    h.loop.kick();
    await settle();
    expect(h.sends.map((s) => s.timeoutMillis)).toEqual([1_000]);
    h.loop.stop();
  });

  it('a pass whose store fails ends (idle, no timer), and the next kick drains', async () => {
    const store = createMemoryQueue();
    let fail = true;
    const failing: BodyStore = { ...store, claim: async (max) => { if (fail) { fail = false; throw new Error('EIO'); } return store.claim(max); } };
    const h = await harness(1, 1, createSendGate(), failing);
    h.loop.kick();
    await settle();
    expect(h.sends).toHaveLength(0);
    expect(h.loop.isActive()).toBe(false);
    h.loop.kick();
    await settle();
    expect(h.sends).toHaveLength(1);
    h.loop.stop();
  });

  it('stop during a pass that then ends blocked leaves no timer and an idle loop', async () => {
    const h = await harness(2, 1);
    h.loop.kick();
    await settle();
    h.loop.stop();
    await h.answer(true);
    expect(h.loop.isActive()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    expect(h.sends).toHaveLength(1);
  });

  it('a gate closed during a pass (a fresh send got a server hint) stops the workers; the rest goes after the hint', async () => {
    const gate = createSendGate();
    const h = await harness(2, 1, gate);
    h.loop.kick();
    await settle();
    gate.onRetryable(5_000, false); // a fresh send's 429 with Retry-After 5 s
    await h.answer(); // the drained send itself succeeds: the gate stays closed until the hint ends
    expect(h.sends).toHaveLength(1);
    expect(await h.store.stats()).toMatchObject({ requests: 1 });
    await jest.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(h.sends).toHaveLength(2);
    h.loop.stop();
  });

  it('once a worker found the store empty, no worker claims again in that pass', async () => {
    const store = createMemoryQueue();
    let claims = 0;
    const counting: BodyStore = { ...store, claim: (max) => { claims++; return store.claim(max); } };
    const h = await harness(1, 2, createSendGate(), counting);
    h.loop.kick();
    await settle();
    expect(claims).toBe(2); // one took the entry, one found the store empty
    await h.answer();
    expect(claims).toBe(2);
    expect(h.loop.isActive()).toBe(false);
  });

  it('a kick after stop() does nothing: no probe while ingestion is failing, no timer while the gate is closed', async () => {
    const { gate, state } = scriptedGate({ healthy: false });
    const failing = await harness(1, 1, gate);
    failing.loop.stop();
    failing.loop.kick();
    await settle();
    expect(failing.sends).toHaveLength(0);
    expect(state.probes).toBe(0);
    const closed = createSendGate();
    closed.onRetryable(5_000, false);
    const waiting = await harness(1, 1, closed);
    waiting.loop.stop();
    waiting.loop.kick();
    expect(waiting.loop.isActive()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a probe that finds the store empty ends the pass as emptied: held-back evictions are reported, nothing is scheduled', async () => {
    const { gate } = scriptedGate({ healthy: false });
    const h = await harness(0, 4, gate);
    const flushReports = jest.spyOn(h.store, 'flushReports');
    h.loop.kick();
    await settle();
    expect(flushReports).toHaveBeenCalledTimes(1);
    expect(h.loop.isActive()).toBe(false);
  });
});

describe('createDrainLoop: startup replay', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  it('sends nothing before the replay start, the first send exactly at it, then one per interval', async () => {
    const h = await harness(3, 4);
    h.loop.replay(h.start + 1_000, 100);
    await settle();
    expect(h.sends).toHaveLength(0);
    expect(h.loop.isActive()).toBe(true); // waiting for the start: a timer, no pass
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    await settle();
    expect(h.sends).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(h.sends.map((s) => s.at)).toEqual([1_000]);
    await jest.advanceTimersByTimeAsync(200);
    await settle();
    expect(h.sends.map((s) => s.at)).toEqual([1_000, 1_100, 1_200]);
    h.loop.stop();
  });

  it('a kick before the replay start waits for the start', async () => {
    const h = await harness(1, 1);
    h.loop.replay(h.start + 1_000, 0);
    h.loop.kick();
    await jest.advanceTimersByTimeAsync(999);
    await settle();
    expect(h.sends).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(h.sends).toHaveLength(1);
    h.loop.stop();
  });

  it('once the replay has emptied the store, later passes run at full speed (no pacing)', async () => {
    const h = await harness(1, 1);
    h.loop.replay(h.start, 1_000);
    await settle();
    await h.answer();
    await jest.advanceTimersByTimeAsync(1_000); // the worker's next slot: it finds the store empty
    await settle();
    expect(h.loop.isActive()).toBe(false);
    for (let i = 1; i <= 3; i++) await h.put(i);
    h.loop.kick();
    for (let i = 1; i <= 3; i++) { await settle(); await h.answer(); }
    expect(h.sends.map((s) => s.at)).toEqual([0, 1_000, 1_000, 1_000]); // back to back, not one per second
    h.loop.stop();
  });

  it('never keeps the process alive: every timer of a paced replay (start wait, pacing waits) is unref\'d', async () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const h = await harness(3, 4);
    h.loop.replay(h.start + 100, 1_000);
    await jest.advanceTimersByTimeAsync(100);
    await settle();
    const handles = setTimeoutSpy.mock.results.map((r) => r.value as NodeJS.Timeout);
    setTimeoutSpy.mockRestore();
    expect(h.sends).toHaveLength(1); // the others wait for their slots
    expect(handles.length).toBeGreaterThanOrEqual(3); // the start wait and two pacing waits
    expect(handles.filter((t) => t.hasRef())).toEqual([]);
    h.loop.stop();
  });

  it('a flush during a replay is not paced (shutdown sends what it can before its deadline)', async () => {
    const h = await harness(3, 4);
    h.loop.replay(h.start + 10_000, 1_000);
    const flushing = h.loop.flush(h.start + 5_000);
    await settle();
    expect(h.inFlight()).toBe(3);
    for (let i = 0; i < 3; i++) await h.answer();
    await flushing;
    expect(await h.store.stats()).toMatchObject({ requests: 0 });
    h.loop.stop();
  });
});

describe('createDrainLoop: flush limits', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  type Scripted = ReturnType<typeof scriptedGate>;
  type Loop = Awaited<ReturnType<typeof harness>>['loop'];
  // Each happens while the flush's first send is in flight; the flush then sends nothing more, and
  // the entry it did not send stays in the store (released, not lost).
  it.each<{ name: string; stop: (g: Scripted['state'], loop: Loop) => Promise<void> | void }>([
    { name: 'the loop is stopped', stop: (_g, loop) => loop.stop() },
    { name: 'a server hint starts', stop: (g) => { g.hint = true; } },
    { name: 'a send fails', stop: (g) => { g.failures++; } },
    { name: 'less than 50 ms are left', stop: async () => { await jest.advanceTimersByTimeAsync(951); } },
  ])('stops sending when $name', async ({ stop }) => {
    const { gate, state } = scriptedGate();
    const h = await harness(2, 1, gate);
    const flushing = h.loop.flush(h.start + 1_000);
    await settle();
    expect(h.sends).toHaveLength(1);
    await stop(state, h.loop);
    await h.answer();
    await flushing;
    expect(h.sends).toHaveLength(1);
    expect(await h.store.stats()).toMatchObject({ requests: 1 });
    h.loop.stop();
  });

  it('still sends with exactly 50 ms left', async () => {
    const { gate } = scriptedGate();
    const h = await harness(2, 1, gate);
    const flushing = h.loop.flush(h.start + 1_000);
    await settle();
    await jest.advanceTimersByTimeAsync(950);
    await h.answer();
    expect(h.sends.map((s) => s.timeoutMillis)).toEqual([1_000, 50]); // the second bounded by what is left
    await h.answer();
    await flushing;
    h.loop.stop();
  });

  // While ingestion is failing a pass starts with a probe that does not ask `canSend` first: the
  // flush itself must not start.
  it.each<{ name: string; setup: (g: Scripted['state'], loop: Loop) => void; deadlineMillis: number }>([
    { name: 'after stop()', setup: (_g, loop) => loop.stop(), deadlineMillis: 5_000 },
    { name: 'while a server hint is active', setup: (g) => { g.hint = true; }, deadlineMillis: 5_000 },
    { name: 'with 49 ms left', setup: () => undefined, deadlineMillis: 49 },
  ])('sends no probe $name', async ({ setup, deadlineMillis }) => {
    const { gate, state } = scriptedGate({ healthy: false });
    const h = await harness(1, 1, gate);
    setup(state, h.loop);
    await h.loop.flush(h.start + deadlineMillis);
    expect(h.sends).toHaveLength(0);
    expect(state.probes).toBe(0);
    h.loop.stop();
  });

  it('with exactly 50 ms left sends the probe, with a 50 ms timeout', async () => {
    const { gate } = scriptedGate({ healthy: false });
    const h = await harness(1, 1, gate);
    const flushing = h.loop.flush(h.start + 50);
    await settle();
    expect(h.sends.map((s) => s.timeoutMillis)).toEqual([50]);
    await h.answer();
    await flushing;
    h.loop.stop();
  });

  it('a send times out at the send timeout when more time is left', async () => {
    const h = await harness(1, 1, scriptedGate().gate);
    const flushing = h.loop.flush(h.start + 60_000);
    await settle();
    expect(h.sends.map((s) => s.timeoutMillis)).toEqual([1_000]);
    await h.answer();
    await flushing;
    h.loop.stop();
  });

  it('returns at its deadline when its own send hangs', async () => {
    const h = await harness(1, 1, scriptedGate().gate);
    let done = false;
    void h.loop.flush(h.start + 1_000).then(() => { done = true; });
    await settle();
    expect(h.sends).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(999);
    await settle();
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await settle();
    expect(done).toBe(true);
    h.loop.stop();
  });
});
