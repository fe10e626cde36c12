import { createDiagnostics } from '@appinsights-otel/core';
import { createQuickPulseClient, quickPulseUrl, toDotNetTicks } from '../../../src/live-metrics/protocol/create-quick-pulse-client';
import type { MonitoringDataPoint } from '../../../src/live-metrics/protocol/quick-pulse-contracts';
import { recordingLogger } from '../../../../core/test/transport/helpers/capture-diag';
import { createCountingTokenProvider } from '../../../../core/test/transport/helpers/fake-token-provider';
import { reply, startServer, type LoopbackServer } from '../../../../core/test/transport/helpers/loopback-server';

const IKEY = '11111111-2222-3333-4444-555555555555';
const POINT: MonitoringDataPoint = {
  Version: 'test', InvariantVersion: 5, Instance: 'inst', RoleName: 'role', MachineName: 'machine', StreamId: 'stream',
  Timestamp: '2026-01-01T00:00:00.000Z', IsWebApp: false, PerformanceCollectionSupported: true,
};

describe('createQuickPulseClient', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('builds the ping/post URL with ikey and api-version, keeping a path prefix', () => {
    expect(quickPulseUrl('https://live.example/prefix/', 'post', IKEY).href)
      .toBe(`https://live.example/prefix/QuickPulseService.svc/post?ikey=${IKEY}&api-version=2024-04-01-preview`);
  });

  it('writes the transmission time in .NET ticks', () => {
    expect(toDotNetTicks(0)).toBe('621355968000000000');
  });

  it('pings with the bearer token and x-ms-qps headers, and reads subscribed, hint and redirect', async () => {
    server = await startServer(reply(200, '', {
      'x-ms-qps-subscribed': 'true', 'x-ms-qps-service-polling-interval-hint': '2500',
      'x-ms-qps-service-endpoint-redirect-v2': 'https://other.livediagnostics.monitor.azure.com/',
    }));
    const tokens = createCountingTokenProvider();
    const client = createQuickPulseClient({ instrumentationKey: IKEY, tokenProvider: tokens, nowMillis: () => 0 });
    const result = await client.ping(server.origin, POINT);
    await client.shutdown();
    expect(result).toEqual({
      status: 'ok', subscribed: true, pollingIntervalHintMillis: 2500, redirectEndpoint: 'https://other.livediagnostics.monitor.azure.com/',
    });
    const sent = server.requests[0];
    expect(sent?.path).toBe(`/QuickPulseService.svc/ping?ikey=${IKEY}&api-version=2024-04-01-preview`);
    expect(sent?.headers.authorization).toMatch(/^Bearer ey/);
    expect(sent?.headers).toMatchObject({
      'x-ms-qps-transmission-time': '621355968000000000', 'x-ms-qps-machine-name': 'machine', 'x-ms-qps-instance-name': 'inst',
      'x-ms-qps-stream-id': 'stream', 'x-ms-qps-role-name': 'role', 'x-ms-qps-invariant-version': '5',
    });
    expect(JSON.parse(sent?.text ?? '')).toEqual(POINT);
  });

  it('posts an array of one data point; no subscribed header means not subscribed', async () => {
    server = await startServer(reply(200));
    const client = createQuickPulseClient({ instrumentationKey: IKEY });
    const result = await client.post(server.origin, { ...POINT, Metrics: [{ Name: 'a', Value: 1, Weight: 1 }] });
    await client.shutdown();
    expect(result).toEqual({ status: 'ok', subscribed: false });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(server.requests[0]?.text ?? '')).toEqual([{ ...POINT, Metrics: [{ Name: 'a', Value: 1, Weight: 1 }] }]);
  });

  it('sends the configuration ETag applied, and reads a changed configuration from the answer', async () => {
    const configuration = { ETag: 'e2', Metrics: [], DocumentStreams: [{ Id: 's', DocumentFilterGroups: [] }] };
    server = await startServer(reply(200, JSON.stringify(configuration), { 'x-ms-qps-subscribed': 'true', 'x-ms-qps-configuration-etag': 'e2' }));
    const client = createQuickPulseClient({ instrumentationKey: IKEY });
    const changed = await client.post(server.origin, POINT, 'e1');
    const same = await client.post(server.origin, POINT, 'e2');
    const none = await client.ping(server.origin, POINT);
    await client.shutdown();
    expect(changed).toEqual({ status: 'ok', subscribed: true, configurationEtag: 'e2', configuration });
    expect(same).toEqual({ status: 'ok', subscribed: true, configurationEtag: 'e2' }); // unchanged: the body is not even parsed
    expect(none).toEqual({ status: 'ok', subscribed: true, configurationEtag: 'e2', configuration });
    expect(server.requests.map((r) => r.headers['x-ms-qps-configuration-etag'])).toEqual(['e1', 'e2', '']); // '' while none, as the official client
  });

  it('after a 401 invalidates the token and retries once', async () => {
    let n = 0;
    server = await startServer((_req, res) => { res.writeHead(n++ === 0 ? 401 : 200, { 'x-ms-qps-subscribed': 'false' }); res.end(); });
    const tokens = createCountingTokenProvider({ tokens: ['first.a.b', 'second.a.b'] });
    const client = createQuickPulseClient({ instrumentationKey: IKEY, tokenProvider: tokens });
    const result = await client.ping(server.origin, POINT);
    await client.shutdown();
    expect(result.status).toBe('ok');
    expect(tokens.invalidateCalls).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer first.a.b', 'Bearer second.a.b']);
  });

  it('explains a 403 with the identity and the missing role in ONE line however often it happens', async () => {
    server = await startServer(reply(403, '{"error":"forbidden"}'));
    const logger = recordingLogger();
    const client = createQuickPulseClient({ instrumentationKey: IKEY, tokenProvider: createCountingTokenProvider(), diagnostics: createDiagnostics({ logger }) });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await client.post(server.origin, POINT));
    await client.shutdown();
    expect(results.every((r) => r.status === 'failed' && r.authFailed)).toBe(true);
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.text).toContain('[live metrics] identity appid=app-1 oid=oid-1 tid=tid-1 lacks the Monitoring Metrics Publisher role');
    expect(errors[0]?.text).toContain('ikey 11111111...');
    expect(errors[0]?.text).not.toContain(IKEY);
  });

  it('reports a 400 authentication-not-supported answer as the Entra-only resource message', async () => {
    server = await startServer(reply(400, '{"message":"Authentication not supported"}'));
    const logger = recordingLogger();
    const client = createQuickPulseClient({ instrumentationKey: IKEY, diagnostics: createDiagnostics({ logger }) });
    const result = await client.ping(server.origin, POINT);
    await client.shutdown();
    expect(result).toMatchObject({ status: 'failed', authFailed: true });
    expect(logger.lines[0]?.text).toContain('accepts only Microsoft Entra ID authenticated telemetry');
  });

  it('refuses to send a token over plain http to a non-loopback host, without connecting', async () => {
    const tokens = createCountingTokenProvider();
    const client = createQuickPulseClient({ instrumentationKey: IKEY, tokenProvider: tokens, diagnostics: createDiagnostics({ logger: recordingLogger() }) });
    const result = await client.ping('http://live.example.com', POINT);
    await client.shutdown();
    expect(result).toMatchObject({ status: 'failed', authFailed: true });
    expect(tokens.getTokenCalls).toBe(0);
  });

  it('turns a network error into a failed result, never a rejection', async () => {
    server = await startServer(reply(200));
    const origin = server.origin;
    await server.close();
    server = undefined;
    const client = createQuickPulseClient({ instrumentationKey: IKEY, diagnostics: createDiagnostics({ logger: recordingLogger() }) });
    const result = await client.ping(origin, POINT);
    await client.shutdown();
    expect(result).toMatchObject({ status: 'failed', authFailed: false });
  });
});
