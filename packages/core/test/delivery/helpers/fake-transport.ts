import { decodeBody } from '../../../src/delivery/body-codec';
import { TransportError } from '../../../src/errors';
import type { RequestBody, SendOutcome, Transport } from '../../../src/transport/transport-types';

/** A sent request as the fake saw it. */
export interface FakeSend {
  readonly body: RequestBody;
  readonly items: unknown[];
  readonly atTimestamp: number;
}

/** A counting fake transport whose answer is decided per call. `sends` is in order of decode completion, not of call. */
export interface FakeTransport extends Transport {
  readonly sends: FakeSend[];
  /** Items (decoded) of every request answered with success (or accepted part of a partial). */
  readonly delivered: unknown[];
  /** Sends currently in flight, and the most seen at once. */
  inFlight: number;
  maxInFlight: number;
  answer: (body: RequestBody, items: unknown[], callIndex: number) => SendOutcome | Promise<SendOutcome>;
}

export const ok = (itemCount = 0): SendOutcome => ({ status: 'success', itemCount });
export const unavailable = (retryAfterMillis?: number): SendOutcome => ({
  status: 'retryable', error: new TransportError('ingestion answered 503', { statusCode: 503 }), ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
});

/** Create a fake transport; by default every send succeeds. */
export function fakeTransport(answer?: FakeTransport['answer']): FakeTransport {
  const fake: FakeTransport = {
    sends: [],
    delivered: [],
    inFlight: 0,
    maxInFlight: 0,
    answer: answer ?? ((body) => ok(body.itemCount)),
    async send(body) {
      fake.inFlight++;
      fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
      try {
        const items = await decodeBody(body);
        fake.sends.push({ body, items, atTimestamp: Date.now() });
        const outcome = await fake.answer(body, items, fake.sends.length - 1);
        if (outcome.status === 'success') fake.delivered.push(...items);
        if (outcome.status === 'partial') {
          const retried = new Set<number>(outcome.retryIndexes);
          items.forEach((item, i) => { if (!retried.has(i) && !isDroppedIndex(outcome, i)) fake.delivered.push(item); });
        }
        return outcome;
      } finally {
        fake.inFlight--;
      }
    },
    async shutdown() { /* nothing */ },
  };
  return fake;
}

// Partial outcomes in these tests drop nothing unless `reasons` lists `drop:<index>`.
function isDroppedIndex(outcome: Extract<SendOutcome, { status: 'partial' }>, i: number): boolean {
  return outcome.reasons.includes(`drop:${i}`);
}

/** Let pending promise chains (and async zlib) settle without advancing fake time. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

// Captured before any test installs fake timers, so waitFor measures real time.
const realNow = Date.now.bind(Date);
/**
 * Under mutation testing (a Stryker worker), a wait that does not end within a few seconds means a
 * mutant broke delivery: fail the test then, rather than let Stryker time the run out and restart
 * its test runner (the slowest way to kill a mutant).
 */
const WAIT_CAP_MILLIS = process.env.STRYKER_MUTATOR_WORKER !== undefined ? 4_000 : Infinity;

/**
 * Wait (real I/O turns, no fake time) until `condition` holds; throws after `maxMillis` of real
 * time. Bounded by time, not by turns: on a loaded CI machine file and zlib work on the thread pool
 * can take many event-loop turns.
 */
export async function waitFor(condition: () => boolean, maxMillis = 10_000): Promise<void> {
  const deadline = realNow() + Math.min(maxMillis, WAIT_CAP_MILLIS);
  while (realNow() < deadline) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (condition()) return;
  throw new Error(`condition not met within ${Math.min(maxMillis, WAIT_CAP_MILLIS)} ms`);
}
