import { SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import type { Envelope } from '../../src/contracts/envelope';
import { logRecordToEnvelope } from '../../src/mapping/logs/log-record-to-envelope';
import { spanToEnvelopes } from '../../src/mapping/trace/span-to-envelopes';
import { CTX, END_TIME, PARENT_SPAN_ID, RESOURCE, SPAN_ID, START_TIME, TRACE_ID } from './fixtures/mapping-fixtures';

const ITEM_MAX_BYTES = 64 * 1024;

const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const hugeText = fc
  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.integer({ min: 1000, max: 40_000 }))
  .map(([unit, times]) => unit.repeat(times));
const scalar = fc.oneof(anyText, fc.double(), fc.integer(), fc.boolean(), fc.constant(NaN), fc.constant(null), fc.constant(undefined));
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.array(fc.oneof(anyText, fc.double(), fc.constant(null)), { maxLength: 20 }) },
  { weight: 1, arbitrary: fc.object({ maxDepth: 3 }) },
);
const key = fc.oneof(anyText, hugeText.map((text) => text.slice(0, 2000)), fc.constantFrom('http.request.method', 'url.full', 'db.system', 'exception.type', 'microsoft.sample_rate', 'enduser.id'));
const manyAttributes = fc
  .integer({ min: 1000, max: 10_000 })
  .map((count) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`attribute.${i}.${'k'.repeat(i % 140)}`, 'v'.repeat(i % 300)])));
const attributes = fc.oneof(fc.dictionary(key, value, { maxKeys: 40 }), manyAttributes) as fc.Arbitrary<Attributes>;

function span(name: string, kind: SpanKind, attrs: Attributes, eventAttrs: Attributes): ReadableSpan {
  return {
    name, kind, attributes: attrs,
    spanContext: () => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }),
    parentSpanContext: { traceId: TRACE_ID, spanId: PARENT_SPAN_ID, traceFlags: 1 },
    startTime: START_TIME, endTime: END_TIME, duration: [1, 0], status: { code: 0 }, ended: true,
    links: Array.from({ length: 300 }, () => ({ context: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 } })),
    events: [{ name: 'exception', attributes: eventAttrs, time: START_TIME }, { name, attributes: eventAttrs, time: START_TIME }],
    resource: RESOURCE, instrumentationScope: { name: 'prop' }, droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
  };
}

function logRecord(body: unknown, attrs: Attributes, eventName: string | undefined): ReadableLogRecord {
  return {
    hrTime: START_TIME, hrTimeObserved: START_TIME, body: body as ReadableLogRecord['body'], attributes: attrs, resource: RESOURCE,
    instrumentationScope: { name: 'prop' }, droppedAttributesCount: 0, ...(eventName !== undefined ? { eventName } : {}),
  };
}

function expectWithinLimits(envelope: Envelope): void {
  expect(Buffer.byteLength(JSON.stringify(envelope), 'utf8')).toBeLessThanOrEqual(ITEM_MAX_BYTES);
  const baseData = envelope.data.baseData as { properties?: Record<string, string>; name?: string; id?: string; url?: string; message?: string };
  for (const [k, v] of Object.entries(baseData.properties ?? {})) {
    expect(k.length).toBeLessThanOrEqual(150);
    expect(v.length).toBeLessThanOrEqual(8192);
  }
  expect((baseData.name ?? '').length).toBeLessThanOrEqual(1024);
  expect((baseData.id ?? '').length).toBeLessThanOrEqual(128);
  expect((baseData.url ?? '').length).toBeLessThanOrEqual(2048);
  expect((baseData.message ?? '').length).toBeLessThanOrEqual(32768);
  Object.values(envelope.tags).forEach((tag) => expect(tag.length).toBeLessThanOrEqual(1024));
}

describe('mapping within service limits (property)', () => {
  it('never throws and keeps every span envelope within the limits', () => {
    const kinds = fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER);
    fc.assert(
      fc.property(fc.oneof(anyText, hugeText), kinds, attributes, attributes, (name, kind, attrs, eventAttrs) => {
        const envelopes = spanToEnvelopes(span(name, kind, attrs, eventAttrs), CTX);
        expect(envelopes).toHaveLength(3);
        envelopes.forEach(expectWithinLimits);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws and keeps every log envelope within the limits', () => {
    const body = fc.oneof(anyText, hugeText, fc.object({ maxDepth: 3 }), fc.constant(undefined), fc.double());
    fc.assert(
      fc.property(body, attributes, fc.option(anyText, { nil: undefined }), (logBody, attrs, eventName) => {
        expectWithinLimits(logRecordToEnvelope(logRecord(logBody, attrs, eventName), CTX));
      }),
      { numRuns: 60 },
    );
  });
});
