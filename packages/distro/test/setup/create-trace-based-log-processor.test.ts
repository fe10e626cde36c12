import { context, trace, TraceFlags, type Span, type SpanContext } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { createTraceBasedLogProcessor } from '../../src/setup/create-trace-based-log-processor';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const spanContextOf = (sampled: boolean, traceId = TRACE_ID): SpanContext => ({ traceId, spanId: 'b7ad6b7169203331', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE });

/** A log record with just what the processor reads and writes. */
function record(spanContext: SpanContext | undefined, attributes: Record<string, unknown> = {}): ReadWriteLogRecord {
  const attrs = { ...attributes };
  const r = { spanContext, attributes: attrs, setAttribute: (k: string, v: unknown) => { attrs[k] = v; return r; } };
  return r as unknown as ReadWriteLogRecord;
}

/** The active context holding a span whose attributes are `attributes` (as an SDK span exposes them). */
function contextWithSpan(spanContext: SpanContext, attributes: Record<string, unknown>) {
  const span = Object.assign(trace.wrapSpanContext(spanContext), { attributes }) as Span;
  return trace.setSpan(context.active(), span);
}

function innerProcessor() {
  const emitted: ReadWriteLogRecord[] = [];
  const inner: LogRecordProcessor = { onEmit: (r) => { emitted.push(r); }, forceFlush: jest.fn(async () => undefined), shutdown: jest.fn(async () => undefined) };
  return { inner, emitted };
}

describe('createTraceBasedLogProcessor', () => {
  it.each<[string, SpanContext | undefined, Record<string, unknown>, Record<string, unknown> | undefined, number | undefined, Record<string, unknown> | 'dropped']>([
    ['outside any trace: passes unchanged', undefined, {}, undefined, 25, {}],
    ['in a dropped trace: dropped', spanContextOf(false), {}, undefined, 25, 'dropped'],
    ['in a kept trace: the rate the sampler wrote on the active span', spanContextOf(true), {}, { 'microsoft.sample_rate': 12.5 }, 25, { 'microsoft.sample_rate': 12.5 }],
    ['in a kept trace without a rate on the span: the fixed percentage', spanContextOf(true), {}, {}, 25, { 'microsoft.sample_rate': 25 }],
    ['in a kept trace, no fixed percentage (rate-limited child, or 100%): no rate', spanContextOf(true), {}, {}, undefined, {}],
    ['a rate already on the record is kept', spanContextOf(true), { 'microsoft.sample_rate': 50 }, { 'microsoft.sample_rate': 12.5 }, 25, { 'microsoft.sample_rate': 50 }],
  ])('%s', (_case, spanContext, attributes, spanAttributes, fallback, expected) => {
    const { inner, emitted } = innerProcessor();
    const processor = createTraceBasedLogProcessor(inner, fallback);
    const ctx = spanAttributes !== undefined && spanContext !== undefined ? contextWithSpan(spanContext, spanAttributes) : context.active();
    processor.onEmit(record(spanContext, attributes), ctx);
    if (expected === 'dropped') expect(emitted).toHaveLength(0);
    else expect(emitted.map((r) => r.attributes)).toEqual([expected]);
  });

  it('ignores the rate of an active span from another trace (a record given an explicit span context)', () => {
    const { inner, emitted } = innerProcessor();
    createTraceBasedLogProcessor(inner, undefined).onEmit(record(spanContextOf(true)), contextWithSpan(spanContextOf(true, 'ffffffffffffffffffffffffffffffff'), { 'microsoft.sample_rate': 5 }));
    expect(emitted.map((r) => r.attributes)).toEqual([{}]);
  });

  it('forwards forceFlush and shutdown', async () => {
    const { inner } = innerProcessor();
    const processor = createTraceBasedLogProcessor(inner, undefined);
    await processor.forceFlush();
    await processor.shutdown();
    expect(inner.forceFlush).toHaveBeenCalledTimes(1);
    expect(inner.shutdown).toHaveBeenCalledTimes(1);
  });
});
