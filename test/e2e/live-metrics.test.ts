/**
 * Live Metrics end to end: useAzureMonitor() in-process with the REAL ManagedIdentityCredential
 * (APPLICATIONINSIGHTS_AUTHENTICATION_STRING + the emulator's IDENTITY_ENDPOINT/IDENTITY_HEADER)
 * against the emulator's Live Metrics endpoint. One emulator (one identity endpoint) for the whole
 * file: MSAL caches the managed identity source statically, and tokens per (identity, resource).
 */
import { diag, DiagLogLevel, SpanKind, SpanStatusCode, trace, metrics } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle, type LiveMetricsRecord } from '@appinsights-otel/emulator';
import { shutdownAzureMonitor, useAzureMonitor } from '@appinsights-otel/distro';

const guard = require('../../scripts/network-guard.cjs') as { install(): { violations: string[] } };

const ENV_NAMES = [
  'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED',
  'APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED', 'APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED', 'MSI_ENDPOINT', 'MSI_SECRET',
  'IMDS_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE',
  'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT', 'APPLICATIONINSIGHTS_CONFIGURATION_FILE',
];

async function waitFor(predicate: () => boolean, timeoutMillis: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

const metricOf = (record: LiveMetricsRecord, name: string): number =>
  record.dataPoints[0]?.Metrics?.find((m) => m.Name === name)?.Value ?? 0;
const timeOf = (record: LiveMetricsRecord): number => Date.parse(record.dataPoints[0]?.Timestamp ?? '');

describe('Live Metrics end to end (emulator, real ManagedIdentityCredential)', () => {
  const guardState = guard.install();
  const saved = new Map<string, string | undefined>();
  const lines: { level: string; text: string }[] = [];
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator();
    for (const name of ENV_NAMES) { saved.set(name, process.env[name]); delete process.env[name]; }
    Object.assign(process.env, emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName));
  });
  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator.close();
  });
  beforeEach(() => {
    lines.length = 0;
    const record = (level: string) => (...args: unknown[]): void => { lines.push({ level, text: args.map(String).join(' ') }); };
    diag.setLogger({ error: record('error'), warn: record('warn'), info: record('info'), debug: () => undefined, verbose: () => undefined }, DiagLogLevel.INFO);
    emulator.clearRequests();
    emulator.clearItems();
    emulator.liveMetrics.clear();
    emulator.liveMetrics.unsubscribe();
  });
  afterEach(async () => {
    await shutdownAzureMonitor(10_000);
    diag.disable();
    delete process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'];
    for (const name of ENV_NAMES.filter((n) => n.endsWith('_ENABLED') || n.startsWith('APPLICATIONINSIGHTS_CONFIGURATION_'))) delete process.env[name];
    expect(guardState.violations).toEqual([]);
  });

  const msiRequests = (): number => emulator.requests().filter((r) => r.path.startsWith('/msi/token')).length;
  const start = (extra: Parameters<typeof useAzureMonitor>[0] = {}): void => useAzureMonitor({
    connectionString: emulator.connectionString(), disableOfflineStorage: true, instrumentationOptions: { http: { enabled: false } },
    metricExportIntervalMillis: 60_000, ...extra,
  });

  it('a subscribed session posts about once per second with the right rates, and all four signals share ONE token request', async () => {
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
    emulator.liveMetrics.subscribe();
    start();
    // the first ping (after 2 s) says subscribed; then posts follow
    expect(await waitFor(() => emulator.liveMetrics.received('post').length >= 1, 20_000)).toBe(true);

    const tracer = trace.getTracer('e2e');
    for (let i = 0; i < 10; i++) {
      tracer.startActiveSpan(`GET /orders/${i}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': `/orders/${i}`, 'http.response.status_code': i < 3 ? 500 : 200 } }, (span) => {
        if (i === 0) span.recordException(new Error('payment declined'));
        if (i < 3) span.setStatus({ code: SpanStatusCode.ERROR });
        tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }).end();
        logs.getLogger('e2e').emit({ body: `handled ${i}`, severityNumber: SeverityNumber.INFO });
        span.end();
      });
    }
    metrics.getMeter('e2e').createCounter('e2e.handled').add(10);
    const postsBefore = emulator.liveMetrics.received('post').length;
    // wait until the counts have been posted and a few more posts went out
    expect(await waitFor(() => emulator.liveMetrics.received('post').length >= postsBefore + 4, 20_000)).toBe(true);
    await shutdownAzureMonitor(10_000);
    const afterShutdown = emulator.liveMetrics.received().length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(emulator.liveMetrics.received()).toHaveLength(afterShutdown); // shutdown stopped Live Metrics

    const posts = emulator.liveMetrics.received('post').filter((p) => p.status === 200);
    // once per second: successive posts are about a second apart (generous bounds: a loaded machine)
    const gaps = posts.slice(1).map((p, i) => timeOf(p) - timeOf(posts[i]!)).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(900);
    expect(median).toBeLessThanOrEqual(2_000);
    // rates x interval add up to the counts (each interval is measured from the previous post)
    const total = (name: string): number => posts.slice(1).reduce((sum, p, i) => sum + metricOf(p, name) * ((timeOf(p) - timeOf(posts[i]!)) / 1000), 0);
    expect(total('\\ApplicationInsights\\Requests/Sec')).toBeCloseTo(10, 0);
    expect(total('\\ApplicationInsights\\Requests Failed/Sec')).toBeCloseTo(3, 0);
    expect(total('\\ApplicationInsights\\Dependency Calls/Sec')).toBeCloseTo(10, 0);
    expect(total('\\ApplicationInsights\\Exceptions/Sec')).toBeCloseTo(1, 0);
    expect(posts.every((p) => metricOf(p, '\\Memory\\Committed Bytes') > 0)).toBe(true);
    const documents = posts.flatMap((p) => p.dataPoints[0]?.Documents ?? []);
    expect(posts.every((p) => (p.dataPoints[0]?.Documents ?? []).length <= 20)).toBe(true); // capped per post
    expect(documents).toContainEqual(expect.objectContaining({ DocumentType: 'Request', Name: 'GET /orders/0', ResponseCode: '500' }));
    expect(documents).toContainEqual(expect.objectContaining({ DocumentType: 'Exception', ExceptionMessage: 'payment declined' }));
    expect(posts.every((p) => p.objectId === DEFAULT_IDS.managedIdentityObjectId)).toBe(true);

    // the other signals arrived too, with standard metrics and performance counters
    expect(emulator.countItems('requests')).toBe(10);
    expect(emulator.countItems('traces')).toBe(10);
    // items carry the mark that stops ingestion from counting them into standard metrics a second time
    expect(emulator.items('requests')[0]?.['customDimensions']).toMatchObject({ '_MS.ProcessedByMetricExtractors': "(Name:'X', Ver:'1.1')" });
    expect(emulator.items('traces')[0]?.['customDimensions']).toMatchObject({ '_MS.ProcessedByMetricExtractors': "(Name:'X', Ver:'1.1')" });
    const customMetrics = emulator.items('customMetrics');
    expect(customMetrics.filter((m) => m['name'] === 'e2e.handled')).toHaveLength(1);
    const requestDuration = customMetrics.filter((m) => m['name'] === 'requests/duration');
    expect(requestDuration.reduce((n, m) => n + (m['valueCount'] as number), 0)).toBe(10);
    expect(requestDuration[0]?.['customDimensions']).toMatchObject({ '_MS.MetricId': 'requests/duration', 'Request.Success': expect.any(String) });
    expect(emulator.items('performanceCounters').map((c) => c['counter'])).toEqual(expect.arrayContaining(['% Processor Time', 'Private Bytes', 'Available Bytes', 'Requests/Sec']));
    // ONE token request for traces, metrics, logs and Live Metrics together
    expect(msiRequests()).toBe(1);
  });

  it('applies the filter configuration the emulator serves: the derived metric\'s value and only the matching documents, with their stream ids', async () => {
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
    const etag = emulator.liveMetrics.setConfiguration({
      Metrics: [{
        Id: 'failed-orders', TelemetryType: 'Request', Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum',
        FilterGroups: [{ Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }, { FieldName: 'Url', Predicate: 'Contains', Comparand: '/orders' }] }],
      }],
      DocumentStreams: [{
        Id: 'slow-requests',
        DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.00:00:00.2' }] } }],
      }],
    });
    try {
      emulator.liveMetrics.subscribe();
      start();
      // the first post carries the ETag: the configuration arrived with the first (subscribed) ping
      expect(await waitFor(() => emulator.liveMetrics.received('post').some((p) => p.configurationEtag === etag), 20_000)).toBe(true);
      const tracer = trace.getTracer('e2e');
      const startedAt = Date.now();
      const request = (path: string, failed: boolean, millis: number): void => {
        const span = tracer.startSpan(`GET ${path}`, {
          kind: SpanKind.SERVER, startTime: startedAt, attributes: { 'http.request.method': 'GET', 'url.full': `http://shop${path}`, 'url.path': path, 'http.response.status_code': failed ? 500 : 200 },
        });
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(startedAt + millis);
      };
      request('/orders/1', true, 10);
      request('/orders/2', true, 500);
      request('/orders/3', false, 900);
      request('/cart', true, 20);
      const postsBefore = emulator.liveMetrics.received('post').length;
      expect(await waitFor(() => emulator.liveMetrics.received('post').length >= postsBefore + 3, 20_000)).toBe(true);
      await shutdownAzureMonitor(10_000);

      const posts = emulator.liveMetrics.received('post').filter((p) => p.status === 200 && p.configurationEtag === etag);
      const derived = posts.map((p) => p.dataPoints[0]?.Metrics?.find((m) => m.Name === 'failed-orders'));
      expect(derived.every((m) => m !== undefined && m.Weight === 1)).toBe(true);
      expect(derived.reduce((n, m) => n + (m?.Value ?? 0), 0)).toBe(2);
      const requests = posts.flatMap((p) => p.dataPoints[0]?.Documents ?? []).filter((d) => d['DocumentType'] === 'Request');
      expect(requests.map((d) => [d['Url'], d['DocumentStreamIds']])).toEqual([['http://shop/orders/2', ['slow-requests']], ['http://shop/orders/3', ['slow-requests']]]);
      expect(requests.map((d) => d['Duration'])).toEqual(['PT0.5S', 'PT0.9S']);
      expect(posts.every((p) => (p.dataPoints[0]?.['CollectionConfigurationErrors'] as unknown[]).length === 0)).toBe(true);
    } finally {
      emulator.liveMetrics.setConfiguration(undefined);
    }
  });

  it('counts success as the exporter maps it: with successOverride, Live Metrics failures and standard metrics agree with the stored requests', async () => {
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
    emulator.liveMetrics.subscribe();
    // 404s are not failures for this app: the override says so to the exporter, and must to Live Metrics too.
    start({ successOverride: (_span, computed) => computed || true, metricExportIntervalMillis: 1_000 });
    expect(await waitFor(() => emulator.liveMetrics.received('post').length >= 1, 20_000)).toBe(true);
    const tracer = trace.getTracer('e2e');
    for (let i = 0; i < 4; i++) {
      tracer.startSpan(`GET /missing/${i}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': `/missing/${i}`, 'http.response.status_code': 404 } }).end();
    }
    const postsBefore = emulator.liveMetrics.received('post').length;
    expect(await waitFor(() => emulator.liveMetrics.received('post').length >= postsBefore + 3, 20_000)).toBe(true);
    await shutdownAzureMonitor(10_000);
    const posts = emulator.liveMetrics.received('post').filter((p) => p.status === 200);
    expect(posts.reduce((n, p) => n + metricOf(p, '\\ApplicationInsights\\Requests/Sec'), 0)).toBeGreaterThan(0);
    expect(posts.every((p) => metricOf(p, '\\ApplicationInsights\\Requests Failed/Sec') === 0)).toBe(true);
    expect(emulator.items('requests')).toHaveLength(4);
    expect(emulator.items('requests').every((r) => String(r['success']).toLowerCase() === 'true')).toBe(true);
    const standard = emulator.items('customMetrics').filter((m) => m['name'] === 'requests/duration');
    expect(standard.length).toBeGreaterThan(0);
    expect(standard.every((m) => (m['customDimensions'] as Record<string, string>)['Request.Success'] === 'True')).toBe(true);
  });

  it('an identity without the publisher role gets ONE clear 403 line for Live Metrics, not one per second', async () => {
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = `Authorization=AAD;ClientId=${DEFAULT_IDS.noRoleManagedIdentityClientId}`;
    emulator.liveMetrics.subscribe();
    start();
    expect(await waitFor(() => emulator.liveMetrics.received().length >= 1, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 4_000)); // long enough for four posts, were it retrying each second
    const received = emulator.liveMetrics.received();
    expect(received.every((r) => r.status === 403)).toBe(true);
    expect(received.length).toBeLessThanOrEqual(2);
    const live = lines.filter((l) => l.text.includes('[live metrics]'));
    expect(live).toHaveLength(1);
    expect(live[0]!.level).toBe('error');
    expect(live[0]!.text).toContain(`oid=${DEFAULT_IDS.noRoleManagedIdentityObjectId}`);
    expect(live[0]!.text).toMatch(/lacks the Monitoring Metrics Publisher role on this Application Insights resource \(403\)/);
  });

  it.each([
    ['options', { enableLiveMetrics: false, enablePerformanceCounters: false, enableStandardMetrics: false }, {}],
    ['environment', {}, { APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED: 'false', APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED: 'false', APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'false' }],
    ['the configuration file', {}, {
      APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ enableLiveMetrics: false, enablePerformanceCounters: false, enableStandardMetrics: false }),
    }],
  ])('switched off by %s: no Live Metrics request at all, no performance counters, no standard metrics', async (_how, options, env) => {
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
    Object.assign(process.env, env);
    emulator.liveMetrics.subscribe();
    start(options);
    trace.getTracer('e2e').startSpan('GET /x', { kind: SpanKind.SERVER }).end();
    await new Promise((r) => setTimeout(r, 3_000)); // past the first-ping delay
    await shutdownAzureMonitor(10_000);
    expect(emulator.countItems('requests')).toBe(1);
    expect(emulator.liveMetrics.received()).toEqual([]);
    expect(emulator.requests().filter((r) => /QuickPulse/i.test(r.path))).toEqual([]);
    expect(emulator.countItems('performanceCounters')).toBe(0);
    expect(emulator.items('customMetrics').filter((m) => String(m['name']).includes('/'))).toEqual([]);
    expect(emulator.items('requests')[0]?.['customDimensions'] ?? {}).not.toHaveProperty('_MS.ProcessedByMetricExtractors');
  });
});
