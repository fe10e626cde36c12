// Our mappers against the published ingestion schema: random spans, log records and metrics (odd
// names, huge values, empty strings, every attribute type) go through the same mapping our exporters
// use, and every envelope must pass the emulator's schema check, which is the service's contract
// (docs/emulator.md, "Ingestion validation"). A failure names the envelope and the broken rule.
import fc from 'fast-check';
import { SpanKind, SpanStatusCode, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createMappingContext, logRecordToEnvelope, resourceMetricsToEnvelopes, spanToEnvelopes } from '@appinsights-otel/core';
import { validateEnvelope } from '../../packages/emulator/src/ingestion/validate-envelope';
import { formatViolation } from '../../packages/emulator/src/ingestion/format-violation';

const IKEY = '11111111-2222-4333-8444-555555555555';
const ctx = createMappingContext({ instrumentationKey: IKEY, sdkVersion: 'contract:1.0' });
const RUNS = 120;

/** The broken rule of each envelope that fails the schema, with the envelope (cut) to look at. */
function violations(envelopes: unknown[]): string[] {
  const now = Date.now();
  return envelopes.flatMap((envelope) => {
    const text = JSON.stringify(envelope);
    const check = validateEnvelope(JSON.parse(text) as unknown, Buffer.byteLength(text), now);
    return check.ok ? [] : [`${formatViolation(check.violation)} in ${text.slice(0, 600)}`];
  });
}

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constant(''), fc.string({ minLength: 1, maxLength: 3000 }), fc.constant('x'.repeat(40_000)), fc.constant('  '));
const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  text, fc.integer(), fc.double(), fc.boolean(), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), fc.array(fc.integer(), { maxLength: 5 }),
);
const SEMCONV_KEYS = [
  'http.request.method', 'http.method', 'http.response.status_code', 'http.status_code', 'url.full', 'http.url', 'url.path', 'url.scheme', 'url.query', 'http.route', 'http.target',
  'server.address', 'server.port', 'client.address', 'network.peer.address', 'net.peer.name', 'user_agent.original', 'db.system', 'db.system.name', 'db.name', 'db.namespace', 'db.statement', 'db.query.text',
  'db.operation.name', 'rpc.system', 'rpc.service', 'rpc.method', 'rpc.grpc.status_code', 'messaging.system', 'messaging.destination.name', 'messaging.operation', 'peer.service',
  'exception.type', 'exception.message', 'exception.stacktrace', 'enduser.id', 'enduser.pseudo.id', 'session.id', 'microsoft.session.id', 'ai.operation.name', 'az.namespace',
  'microsoft.custom_event.name', 'microsoft.client.ip', 'microsoft.operation_name', 'microsoft.sample_rate', 'microsoft.custom_measurements', 'synthetic.type',
];
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(fc.oneof(fc.constantFrom(...SEMCONV_KEYS), fc.string({ maxLength: 200 })), attributeValue, { maxKeys: 12 });
const resourceAttributes = fc.record({ 'service.name': text, 'service.namespace': fc.option(text, { nil: undefined }), 'service.instance.id': fc.option(text, { nil: undefined }), 'service.version': fc.option(text, { nil: undefined }) });

function definedOnly(record: Record<string, string | undefined>): Attributes {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Attributes;
}

describe('our mapping produces only envelopes the published schema accepts', () => {
  it('spans (with events and exceptions)', () => {
    fc.assert(fc.property(
      resourceAttributes, text, fc.constantFrom(SpanKind.SERVER, SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER), attributes,
      fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR), fc.array(fc.tuple(text, attributes), { maxLength: 3 }), fc.option(fc.tuple(text, text), { nil: undefined }),
      (resource, name, kind, attrs, status, events, exception) => {
        const memory = new InMemorySpanExporter();
        const provider = new BasicTracerProvider({ resource: resourceFromAttributes(definedOnly(resource)), spanProcessors: [new SimpleSpanProcessor(memory)] });
        const span = provider.getTracer('contract').startSpan(name, { kind, attributes: attrs });
        for (const [eventName, eventAttributes] of events) span.addEvent(eventName, eventAttributes);
        if (exception) span.recordException(Object.assign(new Error(exception[1]), { name: exception[0] }));
        span.setStatus({ code: status });
        span.end();
        const envelopes = (memory.getFinishedSpans() as ReadableSpan[]).flatMap((s) => spanToEnvelopes(s, ctx));
        expect(violations(envelopes)).toEqual([]);
      },
    ), { numRuns: RUNS });
  });

  it('log records (messages, exceptions, custom events)', async () => {
    await fc.assert(fc.asyncProperty(
      resourceAttributes, fc.oneof(text, fc.integer(), fc.constant(undefined), fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 50 }), { maxKeys: 3 })),
      fc.option(fc.integer({ min: 0, max: 24 }), { nil: undefined }), attributes,
      async (resource, body, severityNumber, attrs) => {
        const memory = new InMemoryLogRecordExporter();
        const provider = new LoggerProvider({ resource: resourceFromAttributes(definedOnly(resource)), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
        provider.getLogger('contract').emit({ ...(body === undefined ? {} : { body }), ...(severityNumber === undefined ? {} : { severityNumber: severityNumber as SeverityNumber }), attributes: attrs });
        await provider.forceFlush();
        const envelopes = (memory.getFinishedLogRecords() as ReadableLogRecord[]).map((r) => logRecordToEnvelope(r, ctx));
        expect(violations(envelopes)).toEqual([]);
      },
    ), { numRuns: RUNS });
  });

  it('metrics (counters, histograms, gauges)', async () => {
    class ManualReader extends MetricReader {
      protected override onShutdown(): Promise<void> { return Promise.resolve(); }
      protected override onForceFlush(): Promise<void> { return Promise.resolve(); }
    }
    const metricName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.\-/]{0,300}$/);
    await fc.assert(fc.asyncProperty(
      resourceAttributes, metricName, fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 5 }), attributes,
      async (resource, name, values, attrs) => {
        const reader = new ManualReader();
        const provider = new MeterProvider({ resource: resourceFromAttributes(definedOnly(resource)), readers: [reader] });
        const meter = provider.getMeter('contract');
        const histogram = meter.createHistogram(`${name}.h`);
        const gauge = meter.createGauge(`${name}.g`);
        const counter = meter.createUpDownCounter(`${name}.c`);
        for (const v of values) { histogram.record(v, attrs); gauge.record(v, attrs); counter.add(v, attrs); }
        const { resourceMetrics } = await reader.collect();
        expect(violations(resourceMetricsToEnvelopes(resourceMetrics, ctx))).toEqual([]);
      },
    ), { numRuns: RUNS });
  });
});
