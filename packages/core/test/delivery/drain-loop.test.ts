import { TRANSIENT_BACKOFF } from '../../src/delivery/backoff';
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

async function harness(files: number, maxConcurrentSends: number): Promise<Harness> {
  const store = createMemoryQueue();
  for (let i = 0; i < files; i++) await store.put(await encodeEnvelopes([{ id: i }], false));
  const gate = createSendGate();
  const sends: string[] = [];
  const waiting: ((fail: boolean) => void)[] = [];
  const sendStored = (entry: StoredRequest): Promise<void> => new Promise<void>((resolve) => {
    sends.push(entry.id);
    waiting.push((fail) => {
      const settleEntry = fail ? store.release(entry) : store.complete(entry);
      if (fail) gate.onRetryable(undefined, false); else gate.onAnswer();
      void settleEntry.then(resolve);
    });
  });
  const loop = createDrainLoop({ store, gate, maxConcurrentSends, sendTimeoutMillis: 1_000, sendStored });
  return {
    store, sends, loop,
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
});
