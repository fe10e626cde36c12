import { AuthError, createDiagnostics, TransportError } from '@appinsights-otel/core';
import {
  createLiveMetricsSession, FAILED_PING_INTERVAL_MILLIS, FIRST_PING_DELAY_MILLIS, PING_INTERVAL_MILLIS, POST_INTERVAL_MILLIS,
  type LiveMetricsSource,
} from '../../../src/live-metrics/protocol/create-live-metrics-session';
import type { QuickPulseClient, QuickPulseResult } from '../../../src/live-metrics/protocol/create-quick-pulse-client';
import type { MonitoringDataPoint } from '../../../src/live-metrics/protocol/quick-pulse-contracts';

const ENDPOINT = 'https://westeurope.livediagnostics.monitor.azure.com';
const IDENTITY = { instance: 'i-1', machineName: 'm-1', roleName: 'r', streamId: 's-1', version: 'test' };

interface Call { op: 'ping' | 'post'; endpoint: string; point: MonitoringDataPoint; at: number; etag: string | undefined }

/** A client answering from a script (the last answer repeats), recording every call. */
function scriptedClient(answers: QuickPulseResult[]): QuickPulseClient & { calls: Call[]; shutdowns: number } {
  const calls: Call[] = [];
  let i = 0;
  const next = (): QuickPulseResult => answers[Math.min(i++, answers.length - 1)] as QuickPulseResult;
  const client = {
    calls,
    shutdowns: 0,
    ping: async (endpoint: string, point: MonitoringDataPoint, etag?: string) => { calls.push({ op: 'ping', endpoint, point, at: Date.now(), etag }); return next(); },
    post: async (endpoint: string, point: MonitoringDataPoint, etag?: string) => { calls.push({ op: 'post', endpoint, point, at: Date.now(), etag }); return next(); },
    async shutdown() { client.shutdowns++; },
  };
  return client;
}

const idle: QuickPulseResult = { status: 'ok', subscribed: false };
const watched: QuickPulseResult = { status: 'ok', subscribed: true };
const transient: QuickPulseResult = { status: 'failed', authFailed: false, error: new TransportError('503', { statusCode: 503 }) };
const forbidden: QuickPulseResult = { status: 'failed', authFailed: true, retryAfterMillis: 60_000, error: new AuthError('no role', 403) };

function countingSource(): LiveMetricsSource & { collected: number; changes: boolean[] } {
  const source = {
    collected: 0,
    changes: [] as boolean[],
    collect() { source.collected++; return { metrics: [{ Name: 'x', Value: source.collected, Weight: 1 }], documents: [] }; },
    onSubscribedChange(subscribed: boolean) { source.changes.push(subscribed); },
  };
  return source;
}

describe('createLiveMetricsSession', () => {
  beforeEach(() => { jest.useFakeTimers({ now: 1_000_000 }); });
  afterEach(() => { jest.useRealTimers(); });

  it('contacts nothing before start()', async () => {
    const client = scriptedClient([idle]);
    createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource() });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.calls).toHaveLength(0);
  });

  it('sends the first ping only after the first-ping delay, so startup opens no connection', async () => {
    const client = scriptedClient([idle]);
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, source: countingSource() });
    session.start();
    await jest.advanceTimersByTimeAsync(FIRST_PING_DELAY_MILLIS - 1);
    expect(client.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.calls).toHaveLength(1);
    await session.shutdown();
  });

  it('pings at once, then every 5 s while nobody watches, with the identity in the data point', async () => {
    const client = scriptedClient([idle]);
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource() });
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(client.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS * 3);
    expect(client.calls.map((c) => c.op)).toEqual(['ping', 'ping', 'ping', 'ping']);
    expect(client.calls[0]?.point).toMatchObject({ Instance: 'i-1', MachineName: 'm-1', StreamId: 's-1', RoleName: 'r' });
    expect(client.calls[0]?.point.Metrics).toBeUndefined();
    expect(session.state).toBe('pinging');
    await session.shutdown();
  });

  it('posts once per second while subscribed, then returns to pinging when unsubscribed', async () => {
    const client = scriptedClient([idle, watched, watched, watched, idle, idle]);
    const source = countingSource();
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source });
    session.start();
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS); // ping (idle), ping (watched)
    expect(session.state).toBe('posting');
    expect(source.changes).toEqual([true]);
    await jest.advanceTimersByTimeAsync(POST_INTERVAL_MILLIS * 3); // three posts (watched, watched, idle)
    const posts = client.calls.filter((c) => c.op === 'post');
    expect(posts).toHaveLength(3);
    expect(posts[1]!.at - posts[0]!.at).toBe(POST_INTERVAL_MILLIS);
    expect(posts[0]?.point.Metrics).toEqual([{ Name: 'x', Value: 1, Weight: 1 }]);
    expect(session.state).toBe('pinging');
    expect(source.changes).toEqual([true, false]);
    const before = client.calls.length;
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS);
    expect(client.calls.slice(before).map((c) => c.op)).toEqual(['ping']);
    await session.shutdown();
  });

  it('honours the polling-interval hint while pinging', async () => {
    const client = scriptedClient([{ status: 'ok', subscribed: false, pollingIntervalHintMillis: 20_000 }]);
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource() });
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(19_999);
    expect(client.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.calls).toHaveLength(2);
    await session.shutdown();
  });

  it.each([
    ['a Live Metrics host of the same cloud', 'https://northeurope.livediagnostics.monitor.azure.com/redirected/path?x=1', 'https://northeurope.livediagnostics.monitor.azure.com'],
    ['an unrelated host (ignored)', 'https://evil.example.com', ENDPOINT],
    ['plain http (ignored)', 'http://westeurope.livediagnostics.monitor.azure.com', ENDPOINT],
  ])('follows an endpoint redirect to %s only when allowed', async (_what, target, expected) => {
    const client = scriptedClient([{ status: 'ok', subscribed: false, redirectEndpoint: target }, idle]);
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource() });
    session.start();
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS);
    expect(client.calls[1]?.endpoint).toBe(expected);
    expect(session.endpoint).toBe(expected);
    await session.shutdown();
  });

  it('applies a configuration when its ETag changes, sends the ETag on every ping and post, and clears it when nobody watches', async () => {
    const info = { ETag: 'e1', Metrics: [], DocumentStreams: [] };
    const client = scriptedClient([
      { status: 'ok', subscribed: false, configurationEtag: 'e1', configuration: info },
      { status: 'ok', subscribed: true, configurationEtag: 'e1' },
      { status: 'ok', subscribed: true, configurationEtag: 'e1' },
      { status: 'ok', subscribed: false, configurationEtag: 'e1' },
      idle,
    ]);
    const applied: [unknown, string][] = [];
    const source = { ...countingSource(), onConfiguration: (configuration: unknown, etag: string) => { applied.push([configuration, etag]); } };
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source });
    session.start();
    await jest.advanceTimersByTimeAsync(0); // ping -> e1
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS); // ping with e1 -> subscribed
    await jest.advanceTimersByTimeAsync(POST_INTERVAL_MILLIS); // post with e1
    await jest.advanceTimersByTimeAsync(POST_INTERVAL_MILLIS); // post with e1 -> unsubscribed: cleared
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS); // ping without
    expect(client.calls.map((c) => [c.op, c.etag])).toEqual([['ping', ''], ['ping', 'e1'], ['post', 'e1'], ['post', 'e1'], ['ping', '']]);
    expect(applied).toEqual([[info, 'e1']]);
    expect(client.calls[2]?.point.CollectionConfigurationErrors).toEqual([]);
    await session.shutdown();
  });

  it('logs a refused redirect through the rate-limited diagnostics: once, not once per response', async () => {
    const lines: string[] = [];
    const logger = { error: () => undefined, warn: (m: string) => { lines.push(m); }, info: () => undefined, debug: () => undefined, verbose: () => undefined };
    const client = scriptedClient([{ status: 'ok', subscribed: true, redirectEndpoint: 'https://evil.example.com' }]);
    const session = createLiveMetricsSession({
      client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource(),
      diagnostics: createDiagnostics({ logger }),
    });
    session.start();
    await jest.advanceTimersByTimeAsync(100 * POST_INTERVAL_MILLIS);
    expect(client.calls.length).toBeGreaterThan(50);
    expect(lines).toEqual([expect.stringMatching(/^\[live metrics\] endpoint redirect to https:\/\/evil\.example\.com ignored/)]);
    await session.shutdown();
  });

  it('pings once a minute after a streak of failures, and at the normal rate again after a success', async () => {
    const client = scriptedClient([transient, transient, transient, idle, idle]);
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source: countingSource() });
    session.start();
    await jest.advanceTimersByTimeAsync(0); // failure 1
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS * 2); // failures 2, 3
    expect(session.failureStreak).toBe(3);
    await jest.advanceTimersByTimeAsync(FAILED_PING_INTERVAL_MILLIS - 1);
    expect(client.calls).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1); // success
    expect(session.failureStreak).toBe(0);
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MILLIS);
    expect(client.calls).toHaveLength(5);
    await session.shutdown();
  });

  it('backs off slowly at once after an auth failure (403), not once per second', async () => {
    const client = scriptedClient([watched, forbidden]);
    const source = countingSource();
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source });
    session.start();
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(POST_INTERVAL_MILLIS); // the post fails with 403
    expect(session.state).toBe('pinging');
    expect(source.changes).toEqual([true, false]);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    // one ping + one post, then one ping per minute
    expect(client.calls.length).toBe(2 + 10);
    await session.shutdown();
  });

  it('stops every timer on shutdown and shuts the client down', async () => {
    const client = scriptedClient([watched]);
    const source = countingSource();
    const session = createLiveMetricsSession({ client, endpoint: ENDPOINT, identity: IDENTITY, firstPingDelayMillis: 0, source });
    session.start();
    await jest.advanceTimersByTimeAsync(POST_INTERVAL_MILLIS * 2);
    await session.shutdown();
    const calls = client.calls.length;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.calls.length).toBe(calls);
    expect(session.state).toBe('stopped');
    expect(client.shutdowns).toBe(1);
    expect(source.changes).toEqual([true, false]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('createLiveMetricsSession configuration', () => {
  it('refuses an endpoint that is not a URL with a ConfigError naming LiveEndpoint', () => {
    const client = scriptedClient([idle]);
    expect(() => createLiveMetricsSession({ client, endpoint: 'not a url', identity: IDENTITY, source: countingSource() }))
      .toThrow(expect.objectContaining({ code: 'AI_CONFIG', message: expect.stringContaining('LiveEndpoint') }));
  });
});
