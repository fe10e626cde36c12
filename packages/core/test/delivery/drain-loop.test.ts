import { TRANSIENT_BACKOFF } from '../../src/retry/backoff';
import { createDrainLoop } from '../../src/delivery/drain-loop';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createSendGate } from '../../src/delivery/send-gate';
import type { BodyStore, StoredRequest } from '../../src/delivery/store-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { settle } from './helpers/fake-transport';

/** The longest first transient backoff (jitter at its top), plus a margin. */
const FIRST_BACKOFF_MAX_MILLIS = TRANSIENT_BACKOFF.initialMillis * (1 + TRANSIENT_BACKOFF.jitter) + 10;

interface Harness {
  readonly store: BodyStore;
  readonly sends: string[];
  /** Settle one drained send: `fail` closes the gate like a 503 would and releases the entry. */
  readonly answer: (fail: boolean) => void;
  readonly loop: ReturnType<typeof createDrainLoop>;
}

async function harness(files: number, maxConcurrentSends: number, gate = createSendGate()): Promise<Harness & { inFlight: () => number; timeouts: number[] }> {
  const store = createMemoryQueue();
  for (let i = 0; i < files; i++) await store.put(await encodeEnvelopes([{ id: i }], false));
  const timeouts: number[] = [];
  const sends: string[] = [];
  const waiting: ((fail: boolean) => void)[] = [];
  const sendStored = (entry: StoredRequest, timeoutMillis: number): Promise<void> => new Promise<void>((resolve) => {
    sends.push(entry.id);
    timeouts.push(timeoutMillis);
    waiting.push((fail) => {
      const settleEntry = fail ? store.release(entry) : store.complete(entry);
      if (fail) gate.onRetryable(undefined, false); else gate.onAnswer();
      void settleEntry.then(resolve);
    });
  });
  const loop = createDrainLoop({ store, gate, maxConcurrentSends, sendTimeoutMillis: 1_000, sendStored });
  return {
    store, sends, loop, timeouts, inFlight: () => waiting.length,
    answer: (fail) => { const next = waiting.shift(); if (!next) throw new Error('no send in flight'); next(fail); },
  };
}

describe('createDrainLoop', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  // Issue 11, item 3: fewer files than workers; an idle worker finds the store empty while the
  // only send is in flight, then that send fails. The backlog must be retried after the backoff,
  // without any new export or flush.
  it.each([1, 2, 3])('retries a backlog of %i file(s) below the concurrency of 4 after a failed drained send', async (files) => {
    const h = await harness(files, 4);
    h.loop.kick();
    await settle();
    expect(h.sends).toHaveLength(files);
    for (let i = 0; i < files; i++) h.answer(true);
    await settle();
    expect(h.loop.isActive()).toBe(true); // a pass is scheduled for when the gate opens
    await jest.advanceTimersByTimeAsync(TRANSIENT_BACKOFF.maxMillis); // one failure per file: a few backoff steps
    await settle();
    expect(h.sends.length).toBeGreaterThan(files); // sent again: the backlog is not stuck
    h.loop.stop();
  });

  it('reschedules a pass that ended blocked (gate closed by a failure) and drains the rest once ingestion answers', async () => {
    const h = await harness(5, 1);
    h.loop.kick();
    await settle();
    expect(h.sends).toHaveLength(1);
    h.answer(true); // the first send fails: the gate closes, the pass ends blocked
    await settle();
    expect(h.sends).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(1); // one timer for when the gate opens, no spin
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    await settle();
    expect(h.sends).toHaveLength(2); // the probe
    for (let i = 0; i < 5; i++) { h.answer(false); await settle(); }
    expect(await h.store.stats()).toMatchObject({ requests: 0 });
    expect(h.loop.isActive()).toBe(false); // store empty: idle, no timer
  });

  it('reports held-back evictions when a pass empties the store, not while a pass ends blocked', async () => {
    const h = await harness(2, 1);
    const flushReports = jest.spyOn(h.store, 'flushReports');
    h.loop.kick();
    await settle();
    h.answer(true);
    await settle();
    expect(flushReports).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    await settle();
    h.answer(false);
    await settle();
    h.answer(false);
    await settle();
    expect(flushReports).toHaveBeenCalledTimes(1);
    h.loop.stop();
  });

  it('an entry claimed just as sending must stop (stopped meanwhile) is released to the store, never sent', async () => {
    const store = createMemoryQueue();
    await store.put(await encodeEnvelopes([{ id: 1 }], false));
    const sends: string[] = [];
    const stopping: BodyStore = { ...store, claim: async (max) => { const out = await store.claim(max); loop.stop(); return out; } };
    const loop = createDrainLoop({ store: stopping, gate: createSendGate(), maxConcurrentSends: 1, sendTimeoutMillis: 1_000, sendStored: async (e) => { sends.push(e.id); } });
    loop.kick();
    await settle();
    expect(sends).toEqual([]);
    expect(await store.claim(5)).toHaveLength(1); // released: claimable again, not held by a dead pass
  });

  it('stays idle after a pass that emptied the store without failures', async () => {
    const h = await harness(2, 4);
    h.loop.kick();
    await settle();
    h.answer(false);
    h.answer(false);
    await settle();
    expect(h.loop.isActive()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('while ingestion is failing, sends one probe first and the rest only after it succeeds', async () => {
    const gate = createSendGate();
    const h = await harness(5, 4, gate);
    gate.onRetryable(undefined, false);
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    h.loop.kick();
    await settle();
    expect(h.inFlight()).toBe(1); // the probe alone
    h.answer(false);
    await settle();
    expect(h.inFlight()).toBe(4); // healthy again: the workers run in parallel
    h.loop.stop();
  });

  it('does nothing while someone else (a fresh send) holds the probe; that send kicks the loop later', async () => {
    const gate = createSendGate();
    const h = await harness(2, 4, gate);
    gate.onRetryable(undefined, false);
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    expect(gate.tryBeginProbe()).toBe(true);
    h.loop.kick();
    await settle();
    expect(h.sends).toEqual([]);
    expect(h.loop.isActive()).toBe(false);
    gate.endProbe();
    h.loop.stop();
  });

  it('a probe that fails ends the pass blocked and schedules the next one', async () => {
    const gate = createSendGate();
    const h = await harness(3, 4, gate);
    gate.onRetryable(undefined, false);
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    h.loop.kick();
    await settle();
    h.answer(true);
    await settle();
    expect(h.sends).toHaveLength(1);
    expect(h.loop.isActive()).toBe(true);
    expect(gate.tryBeginProbe()).toBe(true); // the probe was handed back
    h.loop.stop();
    expect(h.loop.isActive()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a kick during a pass runs another pass after it (work queued meanwhile is not left waiting)', async () => {
    const h = await harness(1, 1);
    h.loop.kick();
    await settle();
    await h.store.put(await encodeEnvelopes([{ id: 9 }], false));
    h.loop.kick(); // while the first send is in flight
    h.answer(false);
    await settle();
    await jest.advanceTimersByTimeAsync(0);
    await settle();
    expect(h.sends).toHaveLength(2);
    h.answer(false);
    await settle();
    h.loop.stop();
  });

  it('does not start while the gate is closed, and starts when it opens', async () => {
    const gate = createSendGate();
    const h = await harness(1, 1, gate);
    gate.onRetryable(5_000, false);
    h.loop.kick();
    await settle();
    expect(h.sends).toEqual([]);
    await jest.advanceTimersByTimeAsync(4_999);
    await settle();
    expect(h.sends).toEqual([]);
    await jest.advanceTimersByTimeAsync(FIRST_BACKOFF_MAX_MILLIS);
    await settle();
    expect(h.sends).toHaveLength(1);
    h.loop.stop();
  });

  describe('flush', () => {
    it('sends despite our own backoff, with a timeout bounded by what is left, and stops at the first failure', async () => {
      const gate = createSendGate();
      const h = await harness(3, 1, gate);
      gate.onRetryable(undefined, false); // closed by our own backoff for about 2 s
      expect(gate.isOpen()).toBe(false);
      const flushing = h.loop.flush(Date.now() + 500);
      await settle();
      expect(h.sends).toHaveLength(1);
      expect(h.timeouts[0]).toBeLessThanOrEqual(500);
      h.answer(true); // a failure: the flush stops
      await flushing;
      expect(h.sends).toHaveLength(1);
      h.loop.stop();
    });

    it('never sends while a server hint is active, nor with less than 50 ms left', async () => {
      const gate = createSendGate();
      const h = await harness(1, 1, gate);
      gate.onRetryable(10_000, false);
      await h.loop.flush(Date.now() + 5_000);
      expect(h.sends).toEqual([]);
      const quiet = await harness(1, 1);
      await quiet.loop.flush(Date.now() + 49);
      expect(quiet.sends).toEqual([]);
      h.loop.stop();
      quiet.loop.stop();
    });

    it('waits for a running pass, then returns at the deadline even if a send hangs', async () => {
      const h = await harness(2, 1);
      h.loop.kick();
      await settle();
      expect(h.sends).toHaveLength(1);
      const flushing = h.loop.flush(Date.now() + 1_000);
      let done = false;
      void flushing.then(() => { done = true; });
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await settle();
      expect(done).toBe(true);
      h.loop.stop();
    });

    it('after stop() sends nothing', async () => {
      const h = await harness(1, 1);
      h.loop.stop();
      h.loop.kick();
      await h.loop.flush(Date.now() + 5_000);
      expect(h.sends).toEqual([]);
    });
  });
});
