import { TraceFlags, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Wraps a sampler so that spans it drops are still recorded (RECORD_ONLY: processors see them end,
 * exporters never do, and the trace flags still say "not sampled" downstream). Live Metrics,
 * standard metrics and the request-rate counters then count every request, dependency and
 * exception exactly, whatever the sampling rate.
 */
export function recordSampledOutSpans(sampler: Sampler): Sampler {
  return {
    shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
      const result = sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
      return result.decision === SamplingDecision.NOT_RECORD ? { ...result, decision: SamplingDecision.RECORD } : result;
    },
    toString: () => `RecordSampledOut{${sampler.toString()}}`,
  };
}

/**
 * Wraps a span processor so it sees sampled spans only, as it would without
 * {@link recordSampledOutSpans}: user processors keep their contract (a dropped span is never
 * started or ended for them).
 */
export function sampledSpansOnly(processor: SpanProcessor): SpanProcessor {
  const sampled = (span: { spanContext(): { traceFlags: number } }): boolean => (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
  return {
    onStart: (span, parentContext) => { if (sampled(span)) processor.onStart(span, parentContext); },
    onEnd: (span) => { if (sampled(span)) processor.onEnd(span); },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
  };
}
