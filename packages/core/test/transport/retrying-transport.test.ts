import { AuthError, TransportError } from '../../src/errors';
import { computeBackoffMillis, DEFAULT_RETRY_POLICY } from '../../src/transport/backoff';
import { createRetryingTransport } from '../../src/transport/retrying-transport';
import type { RequestBody, SendOutcome, Transport } from '../../src/transport/transport-types';

const body: RequestBody = { data: new Uint8Array([1]), gzip: false, itemCount: 3 };
const retryable = (retryAfterMillis?: number): SendOutcome => ({
  status: 'retryable', error: new TransportError('503', { statusCode: 503 }), ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
});
const success: SendOutcome = { status: 'success', itemCount: 3 };

function fakeTransport(outcomes: SendOutcome[]): Transport & { send: jest.Mock; shutdown: jest.Mock } {
  const queue = [...outcomes];
  return {
    send: jest.fn(async () => queue.shift() ?? queue[queue.length - 1] ?? outcomes[outcomes.length - 1]!),
    shutdown: jest.fn(async () => undefined),
  };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('createRetryingTransport', () => {
  it('retries a retryable outcome after a jittered backoff and returns the success', async () => {
    const inner = fakeTransport([retryable(), success]);
    const sent = createRetryingTransport(inner, { random: () => 0.5 }).send(body, 10_000);
    await jest.advanceTimersByTimeAsync(749);
    expect(inner.send).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1); // 1 s base, equal jitter at 0.5 -> 750 ms
    await expect(sent).resolves.toEqual(success);
    expect(inner.send).toHaveBeenCalledTimes(2);
  });

  it('honours the server hint before its own backoff', async () => {
    const inner = fakeTransport([retryable(4_000), success]);
    const sent = createRetryingTransport(inner, { random: () => 0 }).send(body, 10_000);
    await jest.advanceTimersByTimeAsync(3_999);
    expect(inner.send).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(sent).resolves.toEqual(success);
  });

  it('never outlives the deadline: returns the last retryable outcome when the next wait would pass it', async () => {
    const last = retryable(20_000);
    const inner = fakeTransport([retryable(2_000), last]);
    const sent = createRetryingTransport(inner).send(body, 10_000);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(sent).resolves.toBe(last);
    expect(inner.send).toHaveBeenCalledTimes(2);
    // the retry got only what was left of the budget
    expect(inner.send.mock.calls[1]?.[1]).toBe(8_000);
  });

  it('stops after maxRetries', async () => {
    const inner = fakeTransport([retryable()]);
    const sent = createRetryingTransport(inner, { maxRetries: 3, random: () => 0 }).send(body, 600_000);
    await jest.advanceTimersByTimeAsync(600_000);
    await expect(sent).resolves.toMatchObject({ status: 'retryable' });
    expect(inner.send).toHaveBeenCalledTimes(4);
  });

  it.each<[string, SendOutcome]>([
    ['success', success],
    ['failure', { status: 'failure', error: new TransportError('400', { statusCode: 400 }) }],
    ['auth-failed', { status: 'auth-failed', error: new AuthError('403', 403) }],
    ['partial', { status: 'partial', accepted: 1, retryIndexes: [2], dropped: 0, reasons: [] }],
    ['pause (402/439)', { status: 'retryable', pause: true, retryAfterMillis: 1_000, error: new TransportError('439', { statusCode: 439 }) }],
  ])('passes %s through without retrying', async (_name, outcome) => {
    const inner = fakeTransport([outcome, success]);
    await expect(createRetryingTransport(inner).send(body, 60_000)).resolves.toBe(outcome);
    expect(inner.send).toHaveBeenCalledTimes(1);
  });

  it('delegates shutdown', async () => {
    const inner = fakeTransport([success]);
    await createRetryingTransport(inner).shutdown();
    expect(inner.shutdown).toHaveBeenCalledTimes(1);
  });
});

describe('computeBackoffMillis', () => {
  it.each([
    [1, 0, 500], [1, 0.999999, 1_000], [2, 0, 1_000], [3, 0.5, 3_000], [6, 1, 30_000], [20, 0, 15_000],
  ])('attempt %i with random %f -> %i ms (1 s base, x2, 30 s cap, equal jitter)', (attempt, r, expected) => {
    expect(computeBackoffMillis(attempt, { ...DEFAULT_RETRY_POLICY, random: () => r })).toBe(expected);
  });
});
