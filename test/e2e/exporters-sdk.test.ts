import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InstrumentType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AzureMonitorLogExporter } from '@appinsights-otel/exporter-logs';
import { AzureMonitorMetricExporter } from '@appinsights-otel/exporter-metric';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { ConfigError } from '@appinsights-otel/core';
import type { Envelope } from '@appinsights-otel/core';
import { countingCredential, startFakeIngestion } from '@appinsights-otel/test-support';
import type { FakeIngestion } from '@appinsights-otel/test-support';

const IKEY = '1aa11111-bbbb-1ccc-8ddd-eeeeeeeeeeee';
const resource = resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1', 'service.version': '1.2.3' });

describe('the three exporters under the real OTel SDK', () => {
  let ingestion: FakeIngestion;
  let connectionString: string;
  beforeEach(async () => {
    ingestion = await startFakeIngestion();
    connectionString = `InstrumentationKey=${IKEY};IngestionEndpoint=${ingestion.url}/`;
  });
  afterEach(() => ingestion.close());

  const common = () => ({ connectionString, disableOfflineStorage: true });

  it('delivers a server span, its client child and an exception event through BasicTracerProvider with one token', async () => {
    const credential = countingCredential();
    const exporter = new AzureMonitorTraceExporter({ ...common(), credential });
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('e2e');
    tracer.startActiveSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'url.path': '/orders/7', 'url.scheme': 'http', 'http.response.status_code': 200 } }, (server) => {
      const child = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM orders WHERE id = $1', 'db.namespace': 'shop', 'server.address': 'db.local' } }, trace.setSpan(context.active(), server));
      child.recordException(new TypeError('boom'));
      child.setStatus({ code: SpanStatusCode.ERROR });
      child.end();
      server.end();
    });
    await provider.forceFlush();
    const items = await ingestion.waitForItems(3);
    await provider.shutdown();

    const byType = (t: string) => items.filter((i) => (i as unknown as Envelope).data.baseType === t) as unknown as Envelope[];
    const request = byType('RequestData')[0];
    const dependency = byType('RemoteDependencyData')[0];
    const exception = byType('ExceptionData')[0];
    expect(request).toMatchObject({ name: 'Microsoft.ApplicationInsights.Request', iKey: IKEY, tags: expect.objectContaining({ 'ai.cloud.role': 'shop.checkout', 'ai.cloud.roleInstance': 'pod-1', 'ai.application.ver': '1.2.3', 'ai.operation.name': 'GET /orders/:id' }) });
    expect(request?.data.baseData).toMatchObject({ name: 'GET /orders/:id', responseCode: '200', success: true });
    expect(dependency?.data.baseData).toMatchObject({ type: 'postgresql', data: 'SELECT * FROM orders WHERE id = $1', success: false });
    expect(dependency?.tags['ai.operation.id']).toBe(request?.tags['ai.operation.id']);
    expect(exception?.data.baseData).toMatchObject({ exceptions: [expect.objectContaining({ typeName: 'TypeError', message: 'boom' })] });
    expect(ingestion.requests.every((r) => r.path === '/v2.1/track' && r.headers.authorization === `Bearer ${credential.token}`)).toBe(true);
    expect(ingestion.requests.every((r) => r.headers['content-encoding'] === 'gzip')).toBe(true);
    expect(credential.calls).toEqual([['https://monitor.azure.com/.default']]);
  });

  it('asks the credential once across 50 sequential exports of two signals sharing a 1-hour token', async () => {
    const credential = countingCredential();
    const traceExporter = new AzureMonitorTraceExporter({ ...common(), credential });
    const logExporter = new AzureMonitorLogExporter({ ...common(), credential });
    const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(traceExporter)] });
    const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: logExporter })] });
    const tracer = tracerProvider.getTracer('e2e');
    for (let i = 0; i < 50; i++) {
      tracer.startSpan(`op-${i}`, { kind: SpanKind.SERVER }).end();
      await tracerProvider.forceFlush(); // one export at a time
    }
    loggerProvider.getLogger('e2e').emit({ body: 'after 50 span exports' });
    await loggerProvider.forceFlush();
    await ingestion.waitForItems(51);
    await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
    expect(ingestion.requests.length).toBeGreaterThanOrEqual(51);
    expect(ingestion.requests.every((r) => r.headers.authorization === `Bearer ${credential.token}`)).toBe(true);
    expect(credential.calls).toEqual([['https://monitor.azure.com/.default']]);
  });

  it('delivers a counter, an up-down counter and a histogram through MeterProvider, asking for delta except up-down counters', async () => {
    const exporter = new AzureMonitorMetricExporter({ ...common(), credential: countingCredential() });
    expect(exporter.selectAggregationTemporality(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    expect(exporter.selectAggregationTemporality(InstrumentType.UP_DOWN_COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter('e2e');
    meter.createCounter('orders').add(3, { region: 'eu' });
    meter.createUpDownCounter('queue_depth').add(5);
    const hist = meter.createHistogram('latency_ms');
    [10, 20, 30].forEach((v) => hist.record(v));
    await provider.forceFlush();
    const items = (await ingestion.waitForItems(3)) as unknown as Envelope[];
    await provider.shutdown();
    const metrics = Object.fromEntries(items.map((i) => {
      const data = i.data.baseData as { metrics: Array<{ name: string; value: number; count?: number; min?: number; max?: number }>; properties?: Record<string, string> };
      return [data.metrics[0]?.name, { ...data.metrics[0], properties: data.properties }];
    }));
    expect(metrics.orders).toMatchObject({ value: 3, properties: { region: 'eu' } });
    expect(metrics.queue_depth).toMatchObject({ value: 5 });
    expect(metrics.latency_ms).toMatchObject({ value: 60, count: 3, min: 10, max: 30 });
  });

  it('delivers a message, an exception log and a custom event through LoggerProvider', async () => {
    const exporter = new AzureMonitorLogExporter({ ...common(), credential: countingCredential() });
    const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger('e2e');
    logger.emit({ severityNumber: 13, severityText: 'WARN', body: 'disk almost full' });
    logger.emit({ severityNumber: 17, body: 'payment failed', attributes: { 'exception.type': 'PaymentError', 'exception.message': 'card declined' } });
    logger.emit({ body: 'signup', attributes: { 'microsoft.custom_event.name': 'UserSignedUp', plan: 'pro' } });
    await provider.forceFlush();
    const items = (await ingestion.waitForItems(3)) as unknown as Envelope[];
    await provider.shutdown();
    const types = items.map((i) => i.data.baseType).sort();
    expect(types).toEqual(['EventData', 'ExceptionData', 'MessageData']);
    const message = items.find((i) => i.data.baseType === 'MessageData');
    expect(message?.data.baseData).toMatchObject({ message: 'disk almost full', severityLevel: 'Warning' });
    const event = items.find((i) => i.data.baseType === 'EventData');
    expect(event?.data.baseData).toMatchObject({ name: 'UserSignedUp', properties: { plan: 'pro' } });
  });

  it('lets beforeExport change or drop items', async () => {
    const exporter = new AzureMonitorLogExporter({
      ...common(),
      beforeExport: (envelope) => {
        const data = envelope.data.baseData as { message?: string; properties?: Record<string, string> };
        if (data.message === 'drop me') return false;
        data.properties = { ...data.properties, scrubbed: 'yes' };
        return true;
      },
    });
    const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
    provider.getLogger('e2e').emit({ body: 'keep me' });
    provider.getLogger('e2e').emit({ body: 'drop me' });
    await provider.forceFlush();
    const items = (await ingestion.waitForItems(1)) as unknown as Envelope[];
    await provider.shutdown();
    expect(items).toHaveLength(1);
    expect(items[0]?.data.baseData).toMatchObject({ message: 'keep me', properties: { scrubbed: 'yes' } });
    expect(ingestion.requests[0]?.path).toBe('/v2/track'); // no credential: classic path, no token
    expect(ingestion.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('names route-less HTTP requests by span name with requestNameSource spanName', async () => {
    const exporter = new AzureMonitorTraceExporter({ ...common(), requestNameSource: 'spanName' });
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.getTracer('e2e').startSpan('GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/users/42' } }).end();
    await provider.forceFlush();
    const items = (await ingestion.waitForItems(1)) as unknown as Envelope[];
    await provider.shutdown();
    expect(items[0]?.data.baseData).toMatchObject({ name: 'GET' });
    expect(items[0]?.tags['ai.operation.name']).toBe('GET');
  });

  it('calls back exactly once per export and fails fast after shutdown', async () => {
    const exporter = new AzureMonitorTraceExporter({ ...common(), credential: countingCredential() });
    await exporter.shutdown();
    const results: ExportResult[] = [];
    await new Promise<void>((resolve) => exporter.export([], (r) => { results.push(r); resolve(); }));
    await new Promise((r) => setTimeout(r, 20));
    expect(results).toHaveLength(1);
    expect(results[0]?.code).toBe(ExportResultCode.FAILED);
    expect(results[0]?.error?.name).toBe('ShutdownError');
  });

  it('throws a ConfigError at construction for a malformed connection string, without echoing it', () => {
    expect(() => new AzureMonitorTraceExporter({ connectionString: 'InstrumentationKey=not-a-guid-secret' })).toThrow(ConfigError);
    try {
      new AzureMonitorMetricExporter({ connectionString: 'InstrumentationKey=not-a-guid-secret' });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('not-a-guid-secret');
    }
  });
});
