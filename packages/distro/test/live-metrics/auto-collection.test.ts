import { SpanKind, SpanStatusCode, TraceFlags, ROOT_CONTEXT } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SamplingDecision, type ReadableSpan, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceMetricsToEnvelopes, createMappingContext, spanToEnvelopes, type Envelope } from '@appinsights-otel/core';
import { LIVE_METRIC_NAMES } from '../../src/live-metrics/protocol/quick-pulse-contracts';
import { createLiveMetricsAccumulator, MAX_DOCUMENTS_PER_POST } from '../../src/live-metrics/create-live-metrics-accumulator';
import { createPrivateMetrics } from '../../src/live-metrics/create-private-metrics';
import type { ProcessStats } from '../../src/live-metrics/create-process-stats';
import { createTelemetryTap, METRIC_EXTRACTOR_MARK, PROCESSED_BY_METRIC_EXTRACTORS, type TappedItem } from '../../src/live-metrics/create-telemetry-tap';
import { envelopeToDocument } from '../../src/live-metrics/envelope-to-document';
import { recordSampledOutSpans, sampledSpansOnly } from '../../src/live-metrics/record-sampled-out-spans';
import { registerPerformanceCounters } from '../../src/live-metrics/register-performance-counters';
import { createStandardMetricsAggregator } from '../../src/live-metrics/standard-metrics-aggregator';

const IKEY = '11111111-2222-4333-8444-555555555555';
const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' });

/** Ends spans through a real tracer with the tap installed; returns what the tap delivered. */
function tapSpans(build: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void, markProcessed = true): { items: TappedItem[]; spans: ReadableSpan[] } {
  const tap = createTelemetryTap({ instrumentationKey: IKEY, markProcessed });
  const items: TappedItem[] = [];
  const spans: ReadableSpan[] = [];
  tap.listen((item) => items.push(item));
  const collector: SpanProcessor = { onStart: () => undefined, onEnd: (s) => { spans.push(s); }, forceFlush: async () => undefined, shutdown: async () => undefined };
  const provider = new BasicTracerProvider({ resource: RESOURCE, spanProcessors: [tap.spanProcessor, collector] });
  build(provider.getTracer('test'));
  return { items, spans };
}

function request(tracer: ReturnType<BasicTracerProvider['getTracer']>, status: number, millis: number, error?: Error): void {
  const start = Date.now();
  const span = tracer.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.request.method': 'GET', 'http.response.status_code': status, 'url.full': 'http://x/orders' } });
  if (error) span.recordException(error);
  span.end(start + millis);
}

function dependency(tracer: ReturnType<BasicTracerProvider['getTracer']>, ok: boolean, millis: number): void {
  const start = Date.now();
  const span = tracer.startSpan('SELECT', { kind: SpanKind.CLIENT, startTime: start, attributes: { 'db.system': 'postgresql', 'server.address': 'db' } });
  span.setStatus({ code: ok ? SpanStatusCode.OK : SpanStatusCode.ERROR });
  span.end(start + millis);
}

const fixedStats = (cpu: number, bytes: number): ProcessStats => ({
  sample: () => ({ processCpuPercent: cpu, processCpuPercentOfOneCore: cpu * 4, machineCpuPercent: cpu * 2, privateBytes: bytes, availableBytes: bytes * 10 }),
});

describe('createTelemetryTap', () => {
  it('hands each item of a span with its exact duration, and marks the span as processed by the metric extractors', () => {
    const { items, spans } = tapSpans((t) => { request(t, 500, 40, new Error('boom')); dependency(t, true, 10); });
    expect(items.map((i) => [i.kind, i.durationMillis])).toEqual([['request', 40], ['exception', 0], ['dependency', 10]]);
    expect(spans[0]?.attributes[PROCESSED_BY_METRIC_EXTRACTORS]).toBe(METRIC_EXTRACTOR_MARK);
    expect(items[0]).toMatchObject({ success: false, resultCode: '500', roleName: 'shop', roleInstance: 'i-1', synthetic: false });
    expect(items[2]).toMatchObject({ success: true, resultCode: '0', dependencyType: 'postgresql', dependencyTarget: 'db' });
  });

  it('gives the exception and trace items of span events the processed mark too (standard metrics counted them)', () => {
    const { spans } = tapSpans((t) => {
      const span = t.startSpan('work', { kind: SpanKind.INTERNAL });
      span.recordException(new Error('boom'));
      span.addEvent('checkpoint');
      span.end();
    });
    const envelopes = spanToEnvelopes(spans[0]!, createMappingContext({ instrumentationKey: IKEY }));
    expect(envelopes.map((e) => e.data.baseType)).toEqual(['RemoteDependencyData', 'ExceptionData', 'MessageData']);
    for (const envelope of envelopes) {
      expect(envelope.data.baseType !== 'MetricData' && envelope.data.baseData.properties?.[PROCESSED_BY_METRIC_EXTRACTORS]).toBe(METRIC_EXTRACTOR_MARK);
    }
  });

  it('maps with exactly the exporter\'s mapping options: successOverride and requestNameSource decide success and names', () => {
    const tap = createTelemetryTap({
      instrumentationKey: IKEY, mapping: { successOverride: (_span, computed) => !computed, requestNameSource: 'spanName' }, markProcessed: false,
    });
    const items: TappedItem[] = [];
    tap.listen((item) => items.push(item));
    const tracer = new BasicTracerProvider({ resource: RESOURCE, spanProcessors: [tap.spanProcessor] }).getTracer('t');
    tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.full': 'http://x/orders/7', 'http.response.status_code': 200 } }).end();
    expect(items[0]?.success).toBe(false);
    expect(items[0]?.document()).toMatchObject({ DocumentType: 'Request', Name: 'GET' });
  });

  it('hands log records as traces, exceptions or other items with their severity, legacy shim records mapped whole', () => {
    const tap = createTelemetryTap({ instrumentationKey: IKEY, markProcessed: true });
    const items: TappedItem[] = [];
    tap.listen((item) => items.push(item));
    const logger = new LoggerProvider({ resource: RESOURCE, processors: [tap.logRecordProcessor] }).getLogger('t');
    logger.emit({ body: 'hello', severityNumber: SeverityNumber.WARN, attributes: { 'user_agent.synthetic.type': 'bot' } });
    logger.emit({ body: 'failed', attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad' } });
    logger.emit({ eventName: 'checkout', body: 'b' });
    logger.emit({ body: { message: 'legacy trace', severityLevel: 'Error' }, attributes: { '_MS.baseType': 'MessageData' } });
    expect(items.map((i) => [i.kind, i.severityLevel, i.synthetic, i.roleName])).toEqual([
      ['trace', 'Warning', true, 'shop'], ['exception', 'Information', false, 'shop'], ['other', 'Information', false, 'shop'],
      ['trace', 'Error', false, 'shop'],
    ]);
    expect(items[0]?.document()).toMatchObject({ DocumentType: 'Trace', Message: 'hello' });
    expect(items[1]?.document()).toMatchObject({ DocumentType: 'Exception', ExceptionType: 'TypeError', ExceptionMessage: 'bad' });
    expect(items[3]?.document()).toMatchObject({ DocumentType: 'Trace', Message: 'legacy trace' });
  });

  it('builds the sample document of each item of a span on demand', () => {
    const { items } = tapSpans((t) => request(t, 200, 1, new Error('x')));
    expect(items[1]?.document()).toMatchObject({ DocumentType: 'Exception', ExceptionMessage: 'x' });
    expect(items[0]?.document()).toMatchObject({ DocumentType: 'Request', ResponseCode: '200' });
  });

  it('does not mark items when standard metrics are off', () => {
    const { spans } = tapSpans((t) => request(t, 200, 1), false);
    expect(spans[0]?.attributes[PROCESSED_BY_METRIC_EXTRACTORS]).toBeUndefined();
  });
});

describe('createLiveMetricsAccumulator', () => {
  it('turns an interval into per-second rates, failed rates, average durations, CPU and memory', () => {
    let clock = 0;
    const acc = createLiveMetricsAccumulator({ now: () => clock, processStats: fixedStats(12.5, 4096) });
    const { items } = tapSpans((t) => { request(t, 200, 10); request(t, 500, 30); request(t, 200, 20, new Error('x')); dependency(t, false, 8); });
    items.forEach((i) => acc.record(i));
    clock = 2_000;
    const sample = acc.collect();
    const value = (name: string): number | undefined => sample.metrics.find((m) => m.Name === name)?.Value;
    expect(value(LIVE_METRIC_NAMES.requestsPerSecond)).toBe(1.5);
    expect(value(LIVE_METRIC_NAMES.requestsFailedPerSecond)).toBe(0.5);
    expect(value(LIVE_METRIC_NAMES.requestDuration)).toBe(20);
    expect(value(LIVE_METRIC_NAMES.dependencyCallsPerSecond)).toBe(0.5);
    expect(value(LIVE_METRIC_NAMES.dependencyCallsFailedPerSecond)).toBe(0.5);
    expect(value(LIVE_METRIC_NAMES.dependencyCallDuration)).toBe(8);
    expect(value(LIVE_METRIC_NAMES.exceptionsPerSecond)).toBe(0.5);
    expect(value(LIVE_METRIC_NAMES.processorTime)).toBe(12.5);
    expect(value(LIVE_METRIC_NAMES.committedBytes)).toBe(4096);
    // The newer names the official client posts beside the older ones, with the same values.
    expect(value(LIVE_METRIC_NAMES.processorTimeNormalized)).toBe(12.5);
    expect(value(LIVE_METRIC_NAMES.physicalBytes)).toBe(4096);
    clock = 3_000;
    expect(acc.collect().metrics.find((m) => m.Name === LIVE_METRIC_NAMES.requestsPerSecond)?.Value).toBe(0); // interval reset
  });

  it('keeps sample documents only while someone watches, at most MAX_DOCUMENTS_PER_POST', () => {
    const acc = createLiveMetricsAccumulator({ processStats: fixedStats(0, 0) });
    const { items } = tapSpans((t) => { for (let i = 0; i < MAX_DOCUMENTS_PER_POST + 5; i++) request(t, 200, 1); });
    items.slice(0, 3).forEach((i) => acc.record(i));
    expect(acc.collect().documents).toEqual([]);
    acc.onSubscribedChange?.(true);
    items.forEach((i) => acc.record(i));
    const { documents } = acc.collect();
    expect(documents).toHaveLength(MAX_DOCUMENTS_PER_POST);
    expect(documents[0]).toMatchObject({ DocumentType: 'Request', Name: 'GET /orders', ResponseCode: '200', Url: 'http://x/orders', Duration: expect.stringMatching(/^PT\d+(\.\d+)?S$/) });
  });

  it('builds documents only while someone watches, and no more than one post sends', () => {
    const acc = createLiveMetricsAccumulator({ processStats: fixedStats(0, 0) });
    const { items } = tapSpans((t) => { for (let i = 0; i < MAX_DOCUMENTS_PER_POST * 2; i++) request(t, 200, 1); });
    let built = 0;
    const counted = items.map((item): TappedItem => ({ ...item, document: () => { built++; return item.document(); } }));
    counted.forEach((i) => acc.record(i));
    expect(built).toBe(0);
    acc.onSubscribedChange?.(true);
    counted.forEach((i) => acc.record(i));
    expect(built).toBe(MAX_DOCUMENTS_PER_POST);
    expect(acc.collect().metrics.find((m) => m.Name === LIVE_METRIC_NAMES.requestsPerSecond)?.Value).toBeGreaterThan(0);
    acc.onSubscribedChange?.(false);
    counted.forEach((i) => acc.record(i));
    expect(built).toBe(MAX_DOCUMENTS_PER_POST);
  });
});

describe('envelopeToDocument', () => {
  it('maps exceptions and dependencies, leaves _MS.* properties out and ignores metrics', () => {
    const { spans } = tapSpans((t) => { request(t, 500, 1, new TypeError('bad input')); dependency(t, true, 2); });
    const ctx = createMappingContext({ instrumentationKey: IKEY });
    const [requestEnvelope, exceptionEnvelope] = spanToEnvelopes(spans[0]!, ctx);
    expect(envelopeToDocument(exceptionEnvelope!)).toMatchObject({ DocumentType: 'Exception', ExceptionType: 'TypeError', ExceptionMessage: 'bad input' });
    const dep = envelopeToDocument(spanToEnvelopes(spans[1]!, ctx)[0]!);
    expect(dep).toMatchObject({ DocumentType: 'RemoteDependency', Name: 'SELECT' });
    expect(JSON.stringify(envelopeToDocument(requestEnvelope!))).not.toContain('_MS.');
    const metric = { ...requestEnvelope!, data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [] } } } as Envelope;
    expect(envelopeToDocument(metric)).toBeUndefined();
  });
});

async function collectMetrics(register: (provider: MeterProvider) => void): Promise<MetricData[]> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: RESOURCE, readers: [reader] });
  register(provider);
  await reader.forceFlush();
  const metrics = exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics));
  await provider.shutdown();
  return metrics;
}

describe('createStandardMetricsAggregator on tapped spans', () => {
  it('pre-aggregates requests/duration, dependencies/duration, exceptions/count with the portal dimensions, mapped with _MS.MetricId', async () => {
    const { items } = tapSpans((t) => { request(t, 200, 10); request(t, 200, 30); request(t, 500, 5, new Error('e')); dependency(t, true, 7); });
    const aggregator = createStandardMetricsAggregator([0, 0]);
    const metrics = createPrivateMetrics(RESOURCE, 't', aggregator);
    items.forEach(aggregator.record);
    const { resourceMetrics } = await metrics.producer.collect();
    const envelopes = resourceMetricsToEnvelopes(resourceMetrics, createMappingContext({ instrumentationKey: IKEY }));
    await metrics.shutdown();
    const byId = (id: string): Envelope[] => envelopes.filter((e) => e.data.baseType === 'MetricData' && e.data.baseData.properties?.['_MS.MetricId'] === id);
    const ok = byId('requests/duration').find((e) => e.data.baseType === 'MetricData' && e.data.baseData.properties?.['request/resultCode'] === '200');
    expect(ok?.data).toEqual({
      baseType: 'MetricData',
      baseData: {
        ver: 2,
        metrics: [{ name: 'requests/duration', kind: 'Aggregation', value: 40, count: 2, min: 10, max: 30 }],
        properties: {
          'cloud/roleName': 'shop', 'cloud/roleInstance': 'i-1', 'operation/synthetic': 'False', 'request/resultCode': '200', 'Request.Success': 'True',
          '_MS.MetricId': 'requests/duration', '_MS.IsAutocollected': 'True',
        },
      },
    });
    expect(byId('requests/duration')).toHaveLength(2);
    expect(byId('dependencies/duration')[0]?.data.baseData).toMatchObject({ properties: { 'Dependency.Type': 'postgresql', 'Dependency.Success': 'True' } });
    expect(byId('exceptions/count')[0]?.data.baseData).toMatchObject({ metrics: [{ name: 'exceptions/count', value: 1 }] });
  });
});

describe('registerPerformanceCounters', () => {
  it('observes CPU, memory, request rate and duration and exception rate over the interval', async () => {
    let clock = 0;
    const { items } = tapSpans((t) => { request(t, 200, 10); request(t, 200, 30, new Error('x')); });
    const metrics = await collectMetrics((provider) => {
      const record = registerPerformanceCounters(provider.getMeter('t'), { now: () => clock, processStats: fixedStats(25, 1_000) });
      items.forEach(record);
      clock = 4_000;
    });
    const value = (name: string): unknown => metrics.find((m) => m.descriptor.name === name)?.dataPoints[0]?.value;
    expect(metrics.every((m) => m.dataPointType === DataPointType.GAUGE)).toBe(true);
    expect(metrics).toHaveLength(8);
    expect(value('Process_Time_Normalized')).toBe(25);
    expect(value('Process_Time')).toBe(100);
    expect(value('Processor_Time')).toBe(50);
    expect(value('Private_Bytes')).toBe(1_000);
    expect(value('Available_Bytes')).toBe(10_000);
    expect(value('Request_Rate')).toBe(0.5);
    expect(value('Request_Execution_Time')).toBe(20);
    expect(value('Exception_Rate')).toBe(0.25);
  });
});

describe('recordSampledOutSpans', () => {
  const dropAll: Sampler = { shouldSample: () => ({ decision: SamplingDecision.NOT_RECORD }), toString: () => 'drop' };

  it('records what the sampler drops (processors see it, exporters do not) and hides it from user processors', () => {
    const seen: string[] = [];
    const userSeen: string[] = [];
    const mine: SpanProcessor = { onStart: () => undefined, onEnd: (s) => { seen.push(s.name); }, forceFlush: async () => undefined, shutdown: async () => undefined };
    const user: SpanProcessor = { onStart: () => undefined, onEnd: (s) => { userSeen.push(s.name); }, forceFlush: async () => undefined, shutdown: async () => undefined };
    const provider = new BasicTracerProvider({ sampler: recordSampledOutSpans(dropAll), spanProcessors: [sampledSpansOnly(user), mine] });
    const span = provider.getTracer('t').startSpan('dropped', {}, ROOT_CONTEXT);
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(0);
    span.end();
    expect(seen).toEqual(['dropped']);
    expect(userSeen).toEqual([]);
  });
});

describe('createPrivateMetrics', () => {
  it('reaches only the reader it is given to as a metric producer, with delta temporality', async () => {
    const priv = createPrivateMetrics(RESOURCE, 'private');
    priv.meter.createCounter('azureMonitor.exceptionCount').add(2);
    const azure = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const azureReader = new PeriodicExportingMetricReader({ exporter: azure, exportIntervalMillis: 3_600_000, metricProducers: [priv.producer] });
    const user = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const userReader = new PeriodicExportingMetricReader({ exporter: user, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource: RESOURCE, readers: [azureReader, userReader] });
    provider.getMeter('app').createCounter('orders').add(1);
    await Promise.all([azureReader.forceFlush(), userReader.forceFlush()]);
    const names = (e: InMemoryMetricExporter): string[] => e.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
    expect(names(azure).sort()).toEqual(['azureMonitor.exceptionCount', 'orders']);
    expect(names(user)).toEqual(['orders']);
    const exceptions = azure.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)).find((m) => m.descriptor.name === 'azureMonitor.exceptionCount');
    expect(exceptions?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    await Promise.all([provider.shutdown(), priv.shutdown()]);
  });
});
