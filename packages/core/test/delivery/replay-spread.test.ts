import { createDelivery, type Delivery } from '../../src/delivery/delivery';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import { createSendPacer, DEFAULT_REPLAY_SPREAD, replayStartTimestamp, startDrain } from '../../src/delivery/replay-spread';
import type { BodyStore, StoreStats } from '../../src/delivery/store-types';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { fakeTransport, settle, type FakeTransport } from './helpers/fake-transport';

/** A small seeded generator (mulberry32): every process of the simulated fleet gets its own seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FLEET = 60;
const FILES_PER_PROCESS = 5;
const { maxStartOffsetMillis, minSendIntervalMillis } = DEFAULT_REPLAY_SPREAD;

describe('replayStartTimestamp', () => {
  it.each([
    [0, 1_000],
    [0.5, 1_000 + maxStartOffsetMillis / 2],
    [0.9999, 1_000 + maxStartOffsetMillis - 1],
    [-1, 1_000], // a bad random source is clamped into the bounds
    [2, 1_000 + maxStartOffsetMillis],
  ])('random %p at 1,000 ms starts at %p', (r, expected) => {
    expect(replayStartTimestamp(DEFAULT_REPLAY_SPREAD, 1_000, () => r)).toBe(expected);
  });
});

describe('createSendPacer', () => {
  it('books slots one interval apart from the first, and never in the past', () => {
    let clock = 100;
    const pacer = createSendPacer(150, 50, () => clock);
    expect([pacer.nextWaitMillis(), pacer.nextWaitMillis(), pacer.nextWaitMillis()]).toEqual([50, 100, 150]);
    clock = 1_000; // long after the booked slots: the next one is now, the one after an interval later
    expect([pacer.nextWaitMillis(), pacer.nextWaitMillis()]).toEqual([0, 50]);
  });

  it('gives the first slot at once when it is now or past, and books from now then', () => {
    let clock = 500;
    const pacer = createSendPacer(500, 20, () => clock);
    expect(pacer.nextWaitMillis()).toBe(0);
    expect(pacer.nextWaitMillis()).toBe(20);
    clock = 530; // between slots: the booked slot (540) is kept, not moved to now
    expect(pacer.nextWaitMillis()).toBe(10);
    const late = createSendPacer(100, 20, () => 400);
    expect([late.nextWaitMillis(), late.nextWaitMillis()]).toEqual([0, 20]);
  });
});

describe('startDrain: at once, spread, or not at all', () => {
  const policy = { maxStartOffsetMillis: 1_000, minSendIntervalMillis: 25 };
  const clock = { now: () => 5_000, random: () => 0.5 };
  /** A store whose only member used here is `stats`, and a drain that records what it was told. */
  const setup = (stats: () => Promise<StoreStats>): { store: BodyStore; calls: string[]; drain: { kick(): void; replay(at: number, interval: number): void } } => {
    const calls: string[] = [];
    return {
      store: { stats } as unknown as BodyStore,
      calls,
      drain: { kick: () => { calls.push('kick'); }, replay: (at, interval) => { calls.push(`replay ${at} ${interval}`); } },
    };
  };
  const held = (requests: number) => (): Promise<StoreStats> => Promise.resolve({ requests, items: requests, bytes: requests * 10 });

  it.each<[string, (() => Promise<StoreStats>), typeof policy | undefined, boolean, string[]]>([
    ['no policy: kick at once, without asking the store', () => { throw new Error('not asked'); }, undefined, false, ['kick']],
    ['a backlog: replay from the random offset at the policy interval', held(3), policy, false, ['replay 5500 25']],
    ['an empty store: kick (no spread needed)', held(0), policy, false, ['kick']],
    ['stats fail: kick (the drain finds out itself)', () => Promise.reject(new Error('EIO')), policy, false, ['kick']],
    ['closed before stats resolve: nothing', held(3), policy, true, []],
    ['closed, empty store: nothing', held(0), policy, true, []],
  ])('%s', async (_label, stats, spread, closed, expected) => {
    const { store, calls, drain } = setup(stats);
    startDrain(store, drain, spread, clock, () => closed);
    await new Promise<void>((resolve) => { setImmediate(resolve); });
    expect(calls).toEqual(expected);
  });
});

describe('startup replay spread (a fleet restarting at once)', () => {
  beforeEach(() => { jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }); });
  afterEach(() => { jest.useRealTimers(); });

  /** `FLEET` processes, each with a backlog of `FILES_PER_PROCESS` one-item files, all started at the same instant. */
  async function startFleet(spread: boolean): Promise<{ startTimestamp: number; transports: FakeTransport[]; deliveries: Delivery[] }> {
    const transports: FakeTransport[] = [];
    const deliveries: Delivery[] = [];
    for (let p = 0; p < FLEET; p++) {
      const store = createMemoryQueue();
      for (let f = 0; f < FILES_PER_PROCESS; f++) await store.put(await encodeEnvelopes([{ id: p * 100 + f }], false));
      const transport = fakeTransport();
      transports.push(transport);
      deliveries.push(createDelivery({
        transport, store, sendTimeoutMillis: 10_000, random: seeded(p + 1),
        ...(spread ? { replaySpread: DEFAULT_REPLAY_SPREAD } : {}),
      }));
    }
    const startTimestamp = Date.now();
    for (const delivery of deliveries) delivery.start();
    await settle();
    return { startTimestamp, transports, deliveries };
  }

  it('without a spread every process sends its backlog at the same instant (the problem)', async () => {
    const { startTimestamp, transports, deliveries } = await startFleet(false);
    const first = transports.map((t) => t.sends[0]?.atTimestamp);
    expect(first.every((at) => at === startTimestamp)).toBe(true);
    await Promise.all(deliveries.map((d) => d.close()));
  });

  it('spreads the first stored sends of the fleet over [0, 10 s) and paces each process, delivering every item', async () => {
    const { startTimestamp, transports, deliveries } = await startFleet(true);
    expect(transports.every((t) => t.sends.length === 0)).toBe(true); // nobody sent at the shared start
    for (let step = 0; step < 120; step++) await jest.advanceTimersByTimeAsync(100); // 12 s in 100 ms steps
    await settle();
    const offsets = transports.map((t) => (t.sends[0]?.atTimestamp ?? Infinity) - startTimestamp);
    // Every process started within the documented bounds.
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(maxStartOffsetMillis + 100);
    // Spread: the 60 first sends fall into at least 8 of the 10 one-second buckets, at most 15 in any one
    // (uniform: 6 per bucket), against all 60 in one instant without the spread.
    const buckets = new Array<number>(10).fill(0);
    for (const offset of offsets) buckets[Math.min(9, Math.floor(offset / 1_000))]! += 1;
    expect(buckets.filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...buckets)).toBeLessThanOrEqual(15);
    // Each process paces its replay: sends start at least the interval apart (4 could run at once otherwise).
    for (const transport of transports) {
      const times = transport.sends.map((s) => s.atTimestamp).sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(minSendIntervalMillis);
      expect(transport.delivered).toHaveLength(FILES_PER_PROCESS);
    }
    await Promise.all(deliveries.map((d) => d.close()));
  });

  it('does not delay fresh sends, and a flush (shutdown) sends the backlog without waiting for the offset', async () => {
    const store = createMemoryQueue();
    for (let f = 0; f < 3; f++) await store.put(await encodeEnvelopes([{ id: f }], false));
    const transport = fakeTransport();
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 10_000, random: () => 0.99, replaySpread: DEFAULT_REPLAY_SPREAD });
    delivery.start();
    await settle();
    expect(transport.sends).toHaveLength(0); // waiting for its offset (9.9 s)
    const receipt = await delivery.send(await encodeEnvelopes([{ id: 10 }], false));
    expect(receipt).toEqual({ accepted: 1, queued: 0, dropped: 0 });
    const flushed = delivery.flush(Date.now() + 5_000);
    await settle();
    await flushed;
    expect(transport.delivered).toHaveLength(4);
    expect(await store.stats()).toMatchObject({ requests: 0 });
    await delivery.close();
  });
});
