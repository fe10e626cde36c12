import { diag, DiagLogLevel, metrics, ProxyTracerProvider, trace, type DiagLogger } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { logs } from '@opentelemetry/api-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
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

const CONNECTION_STRING = 'InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=http://127.0.0.1:9/';

/** A diag logger that records every line by level. */
function captureDiag() {
  const lines: Array<{ level: string; message: string }> = [];
  const record = (level: string) => (message: string, ...args: unknown[]) => { lines.push({ level, message: [message, ...args.map(String)].join(' ') }); };
  const logger: DiagLogger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose') };
  diag.setLogger(logger, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  return { lines, at: (level: string) => lines.filter((l) => l.level === level).map((l) => l.message) };
}

const ENV_KEYS = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', 'APPLICATIONINSIGHTS_CONFIGURATION_FILE', 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'];
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

const fakeCredential = (): TokenCredential => ({ getToken: jest.fn(async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 })) });

describe('useAzureMonitor', () => {
  it('builds the three exporters with the connection string, credential, storage options and beforeExport', () => {
    captureDiag();
    const credential = fakeCredential();
    const beforeExport = jest.fn(() => true);
    useAzureMonitor({ connectionString: CONNECTION_STRING, credential, storageDirectory: '/tmp/x', disableOfflineStorage: true, beforeExport });
    expect(mockExporters.map((e) => e.kind)).toEqual(['trace', 'metric', 'logs']);
    for (const exporter of mockExporters) {
      expect(exporter.options).toEqual({ connectionString: CONNECTION_STRING, credential, storageDirectory: '/tmp/x', disableOfflineStorage: true, beforeExport, userAgentPrefix: 'appinsights-otel-distro' });
    }
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

  it('warns and ignores a second call', () => {
    const d = captureDiag();
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    useAzureMonitor({ connectionString: CONNECTION_STRING });
    expect(mockExporters).toHaveLength(3);
    expect(d.at('warn').some((m) => m.includes('already called'))).toBe(true);
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
