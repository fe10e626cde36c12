import { isSpanContextValid, trace, TraceFlags, type Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { SAMPLE_RATE_ATTRIBUTE } from '@appinsights-otel/core';

/**
 * Trace-based sampling for logs, in front of the Azure Monitor log processor: a log record emitted
 * inside a trace that the sampler dropped is dropped too; one inside a kept trace carries the
 * trace's sampling percentage (`microsoft.sample_rate`, which becomes `envelope.sampleRate`), read
 * from the active span (set by the sampler), else `fallbackPercentage`. Records outside any trace
 * pass unchanged. Only the wrapped processor is affected (your own processors see every record).
 *
 * @param inner - The processor that exports to Application Insights.
 * @param fallbackPercentage - The fixed sampling percentage (1..99.9...), when the sampler has one.
 */
export function createTraceBasedLogProcessor(inner: LogRecordProcessor, fallbackPercentage: number | undefined): LogRecordProcessor {
  return {
    onEmit(record: ReadWriteLogRecord, context?: Context): void {
      const spanContext = record.spanContext;
      if (spanContext === undefined || !isSpanContextValid(spanContext)) {
        inner.onEmit(record, context);
        return;
      }
      if ((spanContext.traceFlags & TraceFlags.SAMPLED) !== TraceFlags.SAMPLED) return;
      if (record.attributes[SAMPLE_RATE_ATTRIBUTE] === undefined) {
        const rate = rateOfActiveSpan(context, spanContext.traceId) ?? fallbackPercentage;
        if (rate !== undefined) record.setAttribute(SAMPLE_RATE_ATTRIBUTE, rate);
      }
      inner.onEmit(record, context);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}

/** The sampling percentage the sampler wrote on the active SDK span of the same trace, if any. */
function rateOfActiveSpan(context: Context | undefined, traceId: string): number | undefined {
  const span = context !== undefined ? trace.getSpan(context) : undefined;
  if (span === undefined || span.spanContext().traceId !== traceId) return undefined;
  const value = (span as { attributes?: Record<string, unknown> }).attributes?.[SAMPLE_RATE_ATTRIBUTE];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
