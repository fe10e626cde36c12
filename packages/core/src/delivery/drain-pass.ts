import type { SendPacer } from './replay-spread';
import type { SendGate } from './send-gate';
import type { BodyStore, StoredRequest } from './store-types';

/** Why a pass ended: store empty, gate closed (or flush limit), or another probe in flight. */
export type PassEnd = 'exhausted' | 'blocked' | 'probe-busy';

/** What a pass works with: the store, the gate, and how one leased entry is sent and settled. */
export interface DrainPassContext {
  readonly store: BodyStore;
  readonly gate: SendGate;
  /** Sends in flight at most (at least 1 worker runs). */
  readonly maxConcurrentSends: number;
  /** Send one leased entry and settle it (complete/release); resolves, never rejects. */
  readonly sendStored: (entry: StoredRequest, timeoutMillis: number) => Promise<void>;
  /** The pacer of a startup replay while one is running (read at every slot), else `undefined`. */
  readonly pacer: () => SendPacer | undefined;
}

/** The limits of one pass: whether a send may start, each send's timeout, and whether a replay paces it. */
export interface DrainPassLimits {
  readonly canSend: () => boolean;
  readonly timeoutFor: () => number;
  readonly paced: boolean;
}

const sleep = (millis: number): Promise<void> => new Promise((resolve) => { setTimeout(resolve, millis).unref(); });

/** While a startup replay is paced, wait for this worker's slot; false when sending must stop meanwhile. */
async function awaitSlot(ctx: DrainPassContext, limits: DrainPassLimits): Promise<boolean> {
  const pacer = ctx.pacer();
  const waitMillis = limits.paced && pacer ? pacer.nextWaitMillis() : 0;
  if (waitMillis > 0) await sleep(waitMillis);
  return limits.canSend();
}

/**
 * While ingestion is failing, one probe send (never a burst at a sick service): `undefined` when the
 * workers may go on, else how the pass ends.
 */
async function probe(ctx: DrainPassContext, limits: DrainPassLimits): Promise<PassEnd | undefined> {
  const { gate, store } = ctx;
  if (gate.isHealthy()) return undefined;
  if (!gate.tryBeginProbe()) return 'probe-busy'; // a fresh send is probing; its outcome kicks us
  try {
    const [entry] = await store.claim(1);
    if (!entry) return 'exhausted';
    await ctx.sendStored(entry, limits.timeoutFor());
  } finally {
    gate.endProbe();
  }
  return !gate.isHealthy() || !limits.canSend() ? 'blocked' : undefined;
}

/**
 * Workers claim and send until `canSend` says no or the store is empty. Any failure during the
 * pass (from any worker, or a fresh send) means the backlog is not done: the pass then ends
 * 'blocked' and is rescheduled for when the gate opens, even if an idle worker already found the
 * store empty while another one's send was still in flight.
 */
async function runWorkers(ctx: DrainPassContext, limits: DrainPassLimits): Promise<PassEnd> {
  const { gate, store } = ctx;
  const failuresAtStart = gate.failureCount();
  let exhausted = false;
  const worker = async (): Promise<void> => {
    while (!exhausted && limits.canSend()) {
      if (!await awaitSlot(ctx, limits)) return;
      const [entry] = await store.claim(1);
      if (!entry) { exhausted = true; return; }
      if (!limits.canSend()) { await store.release(entry); return; }
      await ctx.sendStored(entry, limits.timeoutFor());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, ctx.maxConcurrentSends) }, worker));
  return exhausted && gate.failureCount() === failuresAtStart ? 'exhausted' : 'blocked';
}

/** One pass over the backlog: the probe while ingestion is failing, then the workers. */
export async function runDrainPass(ctx: DrainPassContext, limits: DrainPassLimits): Promise<PassEnd> {
  return (await probe(ctx, limits)) ?? runWorkers(ctx, limits);
}
