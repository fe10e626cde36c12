import { context, diag, DiagLogLevel, metrics, ProxyTracerProvider, trace, TraceFlags, type DiagLogger, type Histogram, type MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs } from '@opentelemetry/api-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader, type DataPoint, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TokenCredential } from '@azure/core-auth';

/** Every exporter the distro constructs, with its options, and what reached it. */
const mockExporters: Array<{ kind: string; options: Record<string, unknown>; exported: unknown[]; shutdowns: number }> = [];
let mockShutdownNeverResolves = false;
let mockConstructorThrows: Error | undefined;

function mockExporterClass(kind: string) {
  return class {
    private readonly _record: (typeof mockExporters)[number];
    constructor(options: Record<string, unknown>) {
      if (mockConstructorThrows !== undefined) throw mockConstructorThrows;
      this._record = { kind, options, exported: [], shutdowns: 0 };
      mockExporters.push(this._record);
    }
    export(items: unknown, done: (r: { code: number }) => void): void {
      const list = Array.isArray(items) ? items : [items];
      this._record.exported.push(...list);
      done({ code: 0 });
    }
    forceFlush(): Promise<void> { return Promise.resolve(); }
    /** The Application Insights metric exporter's temporality: DELTA (0), CUMULATIVE (1) for up-down counters. */
    selectAggregationTemporality(type: string): number { return type === 'UP_DOWN_COUNTER' || type === 'OBSERVABLE_UP_DOWN_COUNTER' ? 1 : 0; }
    shutdown(): Promise<void> {
      this._record.shutdowns += 1;
      return mockShutdownNeverResolves ? new Promise<void>(() => undefined) : Promise.resolve();
    }
  };
}
jest.mock('@appinsights-otel/exporter-trace', () => ({ AzureMonitorTraceExporter: mockExporterClass('trace') }));
jest.mock('@appinsights-otel/exporter-metric', () => ({ AzureMonitorMetricExporter: mockExporterClass('metric') }));
jest.mock('@appinsights-otel/exporter-logs', () => ({ AzureMonitorLogExporter: mockExporterClass('logs') }));

import { shutdownAzureMonitor, useAzureMonitor } from '@appinsights-otel/distro';
import { flushAzureMonitor, recordUncaughtException } from '../../src/setup/use-azure-monitor';
import * as autoCollection from '../../src/live-metrics/create-auto-collection';

const CONNECTION_STRING = 'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=http://127.0.0.1:9/';

/** A diag logger that records every line by level. */
function captureDiag() {
  const lines: Array<{ level: string; message: string }> = [];
  const record = (level: string) => (message: string, ...args: unknown[]) => { lines.push({ level, message: [message, ...args.map(String)].join(' ') }); };
  const logger: DiagLogger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose') };
  diag.setLogger(logger, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  return { lines, at: (level: string) => lines.filter((l) => l.level === level).map((l) => l.message) };
}

const ENV_KEYS = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'APPLICATIONINSIGHTS_CONFIGURATION_FILE', 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER', 'OTEL_METRIC_EXPORT_INTERVAL'];
const savedEnv: Record<string, string | undefined> = {};

beforeEach(() => {
  for (const key of ENV_KEYS) { savedEnv[key] = process.env[key]; delete process.env[key]; }
  mockExporters.length = 0;
  mockShutdownNeverResolves = false;
  mockConstructorThrows = undefined;
});

afterEach(async () => {
  await shutdownAzureMonitor(1_000);
  trace.disable(); metrics.disable(); logs.disable(); diag.disable();
  for (const key of ENV_KEYS) { if (savedEnv[key] === undefined) delete process.env[key]; else process.env[key] = savedEnv[key]; }
  jest.useRealTimers();
});

/** The resources in `after` beyond those in `before` (by kind, counted). */
function newResources(before: readonly string[], after: readonly string[]): string[] {
  const left = [...before];
  return after.filter((kind) => {
    const i = left.indexOf(kind);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

const fakeCredential = (): TokenCredential => ({ getToken: jest.fn(async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 })) });

describe('useAzureMonitor', () => {
  it('builds the three exporters with the connection string, credential, storage options and beforeExport', () => {
    captureDiag();
    const credential = fakeCredential();
    const beforeExport = jest.fn(() => true);
    useAzureMonitor({ connectionString: CONNECTION_STRING, credential, storageDirectory: '/tmp/x', disableOfflineStorage: true, beforeExport });
    expect(mockExporters.map((e) => e.kind)).toEqual(['trace', 'metric', 'logs']);
    const common = { connectionString: CONNECTION_STRING, credential, storageDirectory: '/tmp/x', disableOfflineStorage: true, beforeExport, userAgentPrefix: 'appinsights-otel-distro' };
    // the trace and log exporters also get the operation name tracker's lookup (docs/mapping.md#operation-name)
    const operationNameOf = expect.any(Function) as unknown;
    expect(mockExporters.map((e) => e.options)).toEqual([{ ...common, operationNameOf }, common, { ...common, operationNameOf }]);
    expect(credential.getToken).not.toHaveBeenCalled(); // no token (and no probe) at start-up
  });

  it('registers global providers: spans, logs and metrics reach the exporters, with the resource from OTEL_SERVICE_NAME', async () => {
    captureDiag();
    process.env['OTEL_SERVICE_NAME'] = 'checkout';
    process.env['OTEL_RESOURCE_ATTRIBUTES'] = 'service.namespace=shop,deployment.environment=test';
    useAzureMonitor({ connectionString: CONNECTION_STRING, credential: fakeCredential() });

    trace.getTracer('t').startActiveSpan('work', (span) => span.end());
    logs.getLogger('l').emit({ body: 'hello' });
    metrics.getMeter('m').createCounter('orders').add(2);
    await shutdownAzureMonitor(5_000);

    const spans = mockExporters.find((e) => e.kind === 'trace')!.exported as ReadableSpan[];
    expect(spans.map((s) => s.name)).toEqual(['work']);
    expect(spans[0]!.resource.attributes).toMatchObject({ 'service.name': 'checkout', 'service.namespace': 'shop', 'deployment.environment': 'test' });
    expect(mockExporters.find((e) => e.kind === 'logs')!.exported).toHaveLength(1);
    expect(mockExporters.find((e) => e.kind === 'metric')!.exported.length).toBeGreaterThan(0);
    expect(mockExporters.every((e) => e.shutdowns === 1)).toBe(true);
  });

  it('lets the resource option win over the environment', async () => {
    captureDiag();
    process.env['OTEL_SERVICE_NAME'] = 'from-env';
    useAzureMonitor({ connectionString: CONNECTION_STRING, resource: resourceFromAttributes({ 'service.name': 'from-option' }) });
    trace.getTracer('t').startSpan('s').end();
    await shutdownAzureMonitor(5_000);
    const spans = mockExporters.find((e) => e.kind === 'trace')!.exported as ReadableSpan[];
    expect(spans[0]!.resource.attributes['service.name']).toBe('from-option');
  });

  it('runs user span processors and honours samplingRatio 0 (nothing sampled)', async () => {
    captureDiag();
    const onEnd = jest.fn();
    useAzureMonitor({
      connectionString: CONNECTION_STRING,
      samplingRatio: 0,
      spanProcessors: [{ onStart: () => undefined, onEnd, forceFlush: async () => undefined, shutdown: async () => undefined }],
    });
    trace.getTracer('t').startSpan('dropped').end();
    await shutdownAzureMonitor(5_000);
    expect(mockExporters.find((e) => e.kind === 'trace')!.exported).toHaveLength(0);
    expect(onEnd).not.toHaveBeenCalled(); // not recorded at all
  });

  it('without a connection string: never throws, logs exactly one error, builds no exporter, the API still works', async () => {
    const d = captureDiag();
    expect(() => useAzureMonitor({ credential: fakeCredential() })).not.toThrow();
    expect(d.at('error')).toHaveLength(1);
    expect(d.at('error')[0]).toMatch(/no Application Insights connection string.*APPLICATIONINSIGHTS_CONNECTION_STRING/);
    expect(mockExporters).toHaveLength(0);
    expect(() => trace.getTracer('t').startSpan('s').end()).not.toThrow();
  });

  it('with a malformed connection string: one error that does not echo it', () => {
    const d = captureDiag();
    process.env['APPLICATIONINSIGHTS_CONNECTION_STRING'] = 'InstrumentationKey=TOPSECRET-nope';
    expect(() => useAzureMonitor()).not.toThrow();
    expect(d.at('error')).toHaveLength(1);
    expect(d.at('error')[0]).toContain('APPLICATIONINSIGHTS_CONNECTION_STRING');
    expect(d.lines.map((l) => l.message).join('\n')).not.toContain('TOPSECRET');
    expect(mockExporters).toHaveLength(0);
  });

  it('when an exporter constructor throws: never throws, one error', () => {
    const d = captureDiag();
    mockConstructorThrows = new Error('exporter refused its configuration');
    expect(() => useAzureMonitor({ connectionString: CONNECTION_STRING })).not.toThrow();
    expect(d.at('error').filter((m) => m.includes('exporter refused its configuration'))).toHaveLength(1);
  });

  it('installs a console diag logger when the app has none, so the error is visible', () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      useAzureMonitor({});
      expect(errors.mock.calls.map((c) => c.join(' ')).join('\n')).toMatch(/no Application Insights connection string/);
    } finally {
      errors.mockRestore();
    }
  });

  it('reports (and does not clobber) a tracer provider registered by someone else', () => {
    const d = captureDiag();
    const theirs = new BasicTracerProvider();
    trace.setGlobalTracerProvider(theirs);
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(theirs);
    trace.getTracer('t').startSpan('theirs').end();
    expect(mockExporters.find((e) => e.kind === 'trace')!.exported).toHaveLength(0);
    const warnings = d.at('warn').filter((m) => m.includes('already registered the global trace provider'));
    expect(warnings).toHaveLength(1);
  });

  it('a second call re-initialises: the first setup is flushed and shut down, the new options apply, telemetry goes to the new exporters only', async () => {
    const d = captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    trace.getTracer('t').startSpan('before').end();
    const second = 'InstrumentationKey=99999999-2222-4333-8444-555555555555;IngestionEndpoint=http://127.0.0.1:9/';
    useAzureMonitor({ connectionString: second });
    trace.getTracer('t').startSpan('after').end();
    await shutdownAzureMonitor(1_000);
    expect(mockExporters.map((e) => [e.kind, e.options['connectionString'], e.shutdowns])).toEqual([
      ['trace', CONNECTION_STRING, 1], ['metric', CONNECTION_STRING, 1], ['logs', CONNECTION_STRING, 1],
      ['trace', second, 1], ['metric', second, 1], ['logs', second, 1],
    ]);
    const names = (i: number) => (mockExporters[i]?.exported as ReadableSpan[]).map((s) => s.name);
    expect([names(0), names(3)]).toEqual([['before'], ['after']]);
    expect(d.at('info').some((m) => m.includes('called again'))).toBe(true);
    expect(d.at('warn')).toEqual([]);
  });

  it('re-initialising twice and shutting down leaves no timer (unref\'d ones included) or handle behind', async () => {
    captureDiag();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const baseline = { timers: jest.getTimerCount(), handles: process.getActiveResourcesInfo() };
    useAzureMonitor({ connectionString: CONNECTION_STRING, metricExportIntervalMillis: 1_000 });
    const oneSetup = jest.getTimerCount();
    expect(oneSetup).toBeGreaterThan(baseline.timers); // the metric reader's interval, at least
    useAzureMonitor({ connectionString: CONNECTION_STRING, metricExportIntervalMillis: 1_000 });
    useAzureMonitor({ connectionString: CONNECTION_STRING, metricExportIntervalMillis: 1_000 });
    await new Promise((resolve) => setImmediate(resolve)); // the replaced setups finish shutting down
    expect(jest.getTimerCount()).toBe(oneSetup);
    await shutdownAzureMonitor(1_000);
    expect(jest.getTimerCount()).toBe(baseline.timers);
    // One-off callbacks queued by the last closes (seen as 'Immediate' under load) run within two turns;
    // a leak (a timer, a socket, an immediate that keeps re-queuing itself) is still there after them.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(newResources(baseline.handles, process.getActiveResourcesInfo())).toEqual([]);
    jest.useRealTimers();
    expect(mockExporters.map((e) => e.shutdowns)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('shutdownAzureMonitor() waits for a replaced setup still flushing, within its timeout', async () => {
    const d = captureDiag();
    mockShutdownNeverResolves = true;
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    // the second setup exports nothing: only the replaced one's exporters hang
    useAzureMonitor({ connectionString: CONNECTION_STRING, disableTraceExport: true, disableMetricExport: true, disableLogExport: true });
    expect(mockExporters).toHaveLength(3);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const done = shutdownAzureMonitor(2_000);
    await jest.advanceTimersByTimeAsync(2_000);
    await done;
    jest.useRealTimers();
    expect(d.at('warn').some((m) => m.includes('did not finish within 2000 ms'))).toBe(true);
  });

  it('can be set up again after shutdownAzureMonitor()', async () => {
    captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    await shutdownAzureMonitor(1_000);
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    expect(mockExporters).toHaveLength(6);
  });

  it('shutdownAzureMonitor() resolves at its timeout when an exporter never finishes', async () => {
    const d = captureDiag();
    mockShutdownNeverResolves = true;
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    jest.useFakeTimers();
    const done = jest.fn();
    const shutdown = shutdownAzureMonitor(2_000).then(done);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(done).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    await shutdown;
    expect(done).toHaveBeenCalledTimes(1);
    expect(d.at('warn').some((m) => m.includes('did not finish within 2000 ms'))).toBe(true);
  });

  it('takes the credential from APPLICATIONINSIGHTS_AUTHENTICATION_STRING without contacting anything', () => {
    captureDiag();
    process.env['APPLICATIONINSIGHTS_CONNECTION_STRING'] = CONNECTION_STRING;
    process.env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] = 'Authorization=AAD';
    useAzureMonitor();
    expect(mockExporters[0]!.options['credential']).toMatchObject({ credentialKind: 'managed-identity' });
  });
});

describe('useAzureMonitor options for metrics, signals, sampling and the configuration file', () => {
  const kinds = (): string[] => mockExporters.map((e) => e.kind);
  const exported = <T>(kind: string): T[] => (mockExporters.find((e) => e.kind === kind)?.exported ?? []) as T[];

  /** An instrumentation recording one histogram, as instrumentation-http records its durations. */
  function probeInstrumentation() {
    let histogram: Histogram | undefined;
    const probe = {
      instrumentationName: 'probe', instrumentationVersion: '1.0.0',
      enable: () => undefined, disable: () => undefined, setTracerProvider: () => undefined,
      setConfig: () => undefined, getConfig: () => ({}),
      setMeterProvider: (provider: MeterProvider) => { histogram = provider.getMeter('probe', '1.0.0').createHistogram('probe.duration', { unit: 's' }); },
      record: (value: number) => histogram?.record(value, { 'http.request.method': 'GET' }),
    };
    return probe;
  }
  /** The `probe.duration` points the Application Insights exporter was handed. */
  const probePoints = () => exported<ResourceMetrics>('metric')
    .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.descriptor.name === 'probe.duration').flatMap((m): readonly DataPoint<unknown>[] => m.dataPoints)));

  it("aggregates the instrumentations' own metrics itself when only Application Insights reads them (one bucket: it takes count, sum, min, max)", async () => {
    captureDiag();
    const probe = probeInstrumentation();
    useAzureMonitor({ connectionString: CONNECTION_STRING, instrumentationOptions: { additional: [probe as unknown as Instrumentation] } });
    probe.record(0.25);
    probe.record(0.5);
    await flushAzureMonitor(5_000);
    expect(probePoints().map((p) => p.value)).toEqual([{ count: 2, sum: 0.75, min: 0.25, max: 0.5, buckets: { boundaries: [], counts: [2] } }]);
  });

  it("leaves the instrumentations' own metrics to the SDK when metricReaders are given: they see them too", async () => {
    captureDiag();
    const probe = probeInstrumentation();
    const inMemory = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const reader = new PeriodicExportingMetricReader({ exporter: inMemory, exportIntervalMillis: 3_600_000 });
    useAzureMonitor({ connectionString: CONNECTION_STRING, metricReaders: [reader], instrumentationOptions: { additional: [probe as unknown as Instrumentation] } });
    probe.record(0.25);
    await flushAzureMonitor(5_000);
    await reader.forceFlush();
    const names = inMemory.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    expect(names).toContain('probe.duration');
    expect(probePoints().map((p) => (p.value as { count: number; buckets: { boundaries: number[] } }).buckets.boundaries.length)).toEqual([15]); // the SDK's default buckets
  });

  it('passes metricReaders and views to the MeterProvider, next to the Azure Monitor reader', async () => {
    captureDiag();
    const inMemory = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: inMemory, exportIntervalMillis: 3_600_000 });
    useAzureMonitor({ connectionString: CONNECTION_STRING, metricReaders: [reader], views: [{ instrumentName: 'orders', name: 'orders.total' }] });
    metrics.getMeter('m').createCounter('orders').add(3);
    await reader.forceFlush();
    const names = inMemory.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    expect(names).toEqual(['orders.total']);
    await shutdownAzureMonitor(5_000);
    expect(exported('metric').length).toBeGreaterThan(0); // the Azure Monitor reader still exports
  });

  it.each<[string, Record<string, string>, Record<string, unknown>, string[]]>([
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none' }, {}, ['metric', 'logs']],
    ['OTEL_METRICS_EXPORTER=none and OTEL_LOGS_EXPORTER=none', { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'NONE' }, {}, ['trace']],
    ['disableLogExport option', {}, { disableLogExport: true }, ['trace', 'metric']],
    ['an option false wins over the variable', { OTEL_TRACES_EXPORTER: 'none' }, { disableTraceExport: false }, ['trace', 'metric', 'logs']],
    ['the configuration file is the last resort', { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: '{"disableMetricExport":true}' }, {}, ['trace', 'logs']],
  ])('per-signal off switch: %s', async (_case, env, options, expected) => {
    captureDiag();
    Object.assign(process.env, env);
    useAzureMonitor({ connectionString: CONNECTION_STRING, ...options });
    expect(kinds()).toEqual(expected);
    trace.getTracer('t').startSpan('still-works').end(); // the provider runs even without export
  });

  it('a signal that is not exported still feeds your own processors', async () => {
    captureDiag();
    process.env['OTEL_TRACES_EXPORTER'] = 'none';
    const onEnd = jest.fn();
    useAzureMonitor({ connectionString: CONNECTION_STRING, spanProcessors: [{ onStart: () => undefined, onEnd, forceFlush: async () => undefined, shutdown: async () => undefined }] });
    trace.getTracer('t').startSpan('s').end();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('passes successOverride to the trace exporter only', () => {
    captureDiag();
    const successOverride = jest.fn(() => true);
    useAzureMonitor({ connectionString: CONNECTION_STRING, successOverride });
    expect(mockExporters.map((e) => [e.kind, e.options['successOverride']])).toEqual([['trace', successOverride], ['metric', undefined], ['logs', undefined]]);
  });

  it.each([
    ['option', { requestNameSource: 'spanName' as const }, {}],
    ['configuration file', {}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ requestNameSource: 'spanName' }) }],
  ])('passes requestNameSource from the %s to the trace exporter only', (_source, options, env) => {
    captureDiag();
    Object.assign(process.env, env);
    useAzureMonitor({ connectionString: CONNECTION_STRING, ...options });
    expect(mockExporters.map((e) => [e.kind, e.options['requestNameSource']])).toEqual([['trace', 'spanName'], ['metric', undefined], ['logs', undefined]]);
  });

  it.each([
    ['option', { persistBeforeSend: true }, {}],
    ['configuration file', {}, { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ persistBeforeSend: true }) }],
  ])('passes persistBeforeSend from the %s to all three exporters', (_source, options, env) => {
    captureDiag();
    Object.assign(process.env, env);
    useAzureMonitor({ connectionString: CONNECTION_STRING, ...options });
    expect(mockExporters.map((e) => [e.kind, e.options['persistBeforeSend']])).toEqual([['trace', true], ['metric', true], ['logs', true]]);
  });

  /** A remote parent context with the given sampled flag, so the sampler's decision is known in advance. */
  const remoteParent = (sampled: boolean) => trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true,
  });

  it('trace-based log sampling: logs of a dropped trace are dropped, kept ones carry the sampling percentage, others pass', async () => {
    captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING, samplingRatio: 0.25 });
    const logger = logs.getLogger('l');
    for (const sampled of [true, false]) {
      trace.getTracer('t').startActiveSpan('op', {}, remoteParent(sampled), (span) => {
        logger.emit({ body: sampled ? 'in kept trace' : 'in dropped trace' });
        span.end();
      });
    }
    logger.emit({ body: 'outside any trace' });
    await shutdownAzureMonitor(5_000);
    const records = exported<ReadableLogRecord>('logs');
    expect(records.map((r) => [r.body, r.attributes['microsoft.sample_rate']])).toEqual([['in kept trace', 25], ['outside any trace', undefined]]);
    expect(exported<ReadableSpan>('trace').map((s) => s.name)).toEqual(['op']);
  });

  it('traceBasedLogSampling: false exports every log record unchanged', async () => {
    captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING, samplingRatio: 0.25, traceBasedLogSampling: false });
    trace.getTracer('t').startActiveSpan('op', {}, remoteParent(false), (span) => {
      logs.getLogger('l').emit({ body: 'in dropped trace' });
      span.end();
    });
    await shutdownAzureMonitor(5_000);
    expect(exported<ReadableLogRecord>('logs').map((r) => [r.body, r.attributes['microsoft.sample_rate']])).toEqual([['in dropped trace', undefined]]);
  });

  it('the configuration file sets options (below options and environment) and warns about keys it does not know', async () => {
    const d = captureDiag();
    process.env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'] = JSON.stringify({
      samplingRatio: 0, storageDirectory: '/tmp/from-file', disableOfflineStorage: true, audience: 'https://monitor.azure.us', role: { name: 'java-agent-key' },
    });
    useAzureMonitor({ connectionString: CONNECTION_STRING, storageDirectory: '/tmp/from-option' });
    expect(mockExporters[0]!.options).toMatchObject({ storageDirectory: '/tmp/from-option', disableOfflineStorage: true, audience: 'https://monitor.azure.us' });
    trace.getTracer('t').startSpan('sampled out by the file').end();
    await shutdownAzureMonitor(5_000);
    expect(exported('trace')).toHaveLength(0);
    expect(d.at('warn')).toEqual([expect.stringContaining('unknown key(s) "role" ignored')]);
  });

  it('OTEL_TRACES_SAMPLER wins over the file\'s samplingRatio', async () => {
    captureDiag();
    process.env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'] = '{"samplingRatio":0}';
    process.env['OTEL_TRACES_SAMPLER'] = 'always_on';
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    trace.getTracer('t').startSpan('kept').end();
    await shutdownAzureMonitor(5_000);
    expect(exported('trace')).toHaveLength(1);
  });

  it('a configuration file with a wrong type is ignored with one warning naming the key when options and environment suffice', () => {
    const d = captureDiag();
    process.env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'] = '{"samplingRatio":"half"}';
    useAzureMonitor({ connectionString: CONNECTION_STRING, credential: fakeCredential() });
    expect(kinds()).toEqual(['trace', 'metric', 'logs']);
    expect(d.at('warn')).toEqual([expect.stringContaining('"samplingRatio" must be a number')]);
  });

  // One policy (issue 19): a bad value is a warning and the default; only the connection string or
  // the credential turns export off. Before, a wrong type anywhere in a file that could have held
  // the credential turned export off.
  it('a configuration file with a wrong type warns, naming the key, and keeps export on with the default', () => {
    const d = captureDiag();
    process.env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'] = '{"traceBasedLogSampling":"yes"}';
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    expect(kinds()).toEqual(['trace', 'metric', 'logs']);
    expect(d.at('error')).toEqual([]);
    expect(d.at('warn')).toEqual([expect.stringContaining('"traceBasedLogSampling" must be true or false; using the default (true)')]);
  });

  it('a broken configuration file the credential would come from turns export off with one error', () => {
    const d = captureDiag();
    process.env['APPLICATIONINSIGHTS_CONFIGURATION_CONTENT'] = '{ nope';
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    expect(kinds()).toEqual([]);
    expect(d.at('error')).toEqual([expect.stringContaining('APPLICATIONINSIGHTS_CONFIGURATION_CONTENT is not valid JSON; telemetry export is off')]);
    expect(d.at('warn')).toEqual([]);
  });

  it('passes one mapping-options object to the trace exporter and the Live Metrics tap', () => {
    captureDiag();
    const spy = jest.spyOn(autoCollection, 'tryCreateAutoCollection');
    const successOverride = jest.fn(() => true);
    try {
      useAzureMonitor({ connectionString: CONNECTION_STRING, successOverride, requestNameSource: 'spanName' });
      expect(spy).toHaveBeenCalledTimes(1);
      // with the operation name tracker's lookup: Live Metrics documents and the exported items carry the same operation name
      const mapping = spy.mock.calls[0]![0].mapping as Record<string, unknown>;
      expect(mapping).toEqual({ successOverride, requestNameSource: 'spanName', operationNameOf: expect.any(Function) });
      expect(mockExporters[0]!.options).toMatchObject({ successOverride, requestNameSource: 'spanName', operationNameOf: mapping['operationNameOf'] });
      expect(mockExporters[2]!.options).toMatchObject({ operationNameOf: mapping['operationNameOf'] });
    } finally {
      spy.mockRestore();
    }
  });

  it('recordUncaughtException: a Critical exception record, kept even inside a trace the sampler dropped; flushAzureMonitor sends it', async () => {
    captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING, samplingRatio: 0.25 });
    const error = new TypeError('boom');
    trace.getTracer('t').startActiveSpan('op', {}, remoteParent(false), (span) => {
      recordUncaughtException(error, 'uncaughtException');
      span.end();
    });
    recordUncaughtException('not an Error', 'unhandledRejection');
    const cyclic: Record<string, unknown> = { reason: 'cycle' };
    cyclic['self'] = cyclic;
    recordUncaughtException(cyclic, 'unhandledRejection'); // JSON cannot hold it: still recorded
    recordUncaughtException({ big: 1n }, 'unhandledRejection');
    await flushAzureMonitor(5_000);
    const records = exported<ReadableLogRecord>('logs');
    expect(records.map((r) => [r.severityText, r.body, r.attributes['exception.type'], r.attributes['exception.message'], r.spanContext])).toEqual([
      ['FATAL', 'uncaught exception', 'TypeError', 'boom', undefined],
      ['FATAL', 'unhandled promise rejection', 'Error', 'not an Error', undefined],
      ['FATAL', 'unhandled promise rejection', 'Error', '[unserializable value]', undefined],
      ['FATAL', 'unhandled promise rejection', 'Error', '{"big":"1"}', undefined],
    ]);
    expect(records[0]!.attributes['exception.stacktrace']).toContain('TypeError: boom');
  });

  it('recordUncaughtException and flushAzureMonitor do nothing before setup', async () => {
    expect(() => recordUncaughtException(new Error('x'))).not.toThrow();
    await expect(flushAzureMonitor(1_000)).resolves.toBeUndefined();
  });

  it('warns about unknown OTEL_NODE_RESOURCE_DETECTORS entries', () => {
    const d = captureDiag();
    process.env['OTEL_NODE_RESOURCE_DETECTORS'] = 'env,gcp';
    try {
      useAzureMonitor({ connectionString: CONNECTION_STRING });
    } finally {
      delete process.env['OTEL_NODE_RESOURCE_DETECTORS'];
    }
    expect(d.at('warn')).toEqual([expect.stringContaining('unknown detector "gcp"')]);
  });
});
