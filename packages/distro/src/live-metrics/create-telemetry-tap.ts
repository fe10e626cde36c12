import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  createMappingContext, logRecordToEnvelope, spanToEnvelopes, type Envelope,
} from '@appinsights-otel/core';

/** One item as ingestion would receive it, with the exact duration of its span. */
export interface TappedItem {
  readonly envelope: Envelope;
  /** The span's duration in milliseconds (0 for log records and span events). */
  readonly durationMillis: number;
}

/** Something that wants every item (Live Metrics, standard metrics). */
export type TapListener = (item: TappedItem) => void;

/** Property that tells ingestion's metric extractors an item was already counted by the SDK. */
export const PROCESSED_BY_METRIC_EXTRACTORS = '_MS.ProcessedByMetricExtractors';
/** Its value: the SDK's standard metrics extractor. */
export const METRIC_EXTRACTOR_MARK = "(Name:'X', Ver:'1.1')";

/** Options of {@link createTelemetryTap}. */
export interface TelemetryTapOptions {
  readonly instrumentationKey: string;
  /** Mark spans and log records with `_MS.ProcessedByMetricExtractors` (standard metrics on). */
  readonly markProcessed: boolean;
}

/** A span processor and a log record processor feeding the same listeners. */
export interface TelemetryTap {
  readonly spanProcessor: SpanProcessor;
  readonly logRecordProcessor: LogRecordProcessor;
  /** Adds a listener; items are mapped only while there is at least one. */
  listen(listener: TapListener): void;
}

const hrToMillis = (hr: readonly [number, number]): number => hr[0] * 1_000 + hr[1] / 1_000_000;

/**
 * Sees every recording span when it ends and every log record when it is emitted, maps it with
 * core's own mappers (so Live Metrics and standard metrics count exactly what ingestion would
 * store: same names, success and result codes) and hands the items to the listeners. It sees spans
 * that sampling dropped too when the sampler records them (see `recordSampledOutSpans`), so
 * counts and rates stay exact under sampling. A listener that throws never breaks the app.
 */
export function createTelemetryTap(options: TelemetryTapOptions): TelemetryTap {
  const listeners: TapListener[] = [];
  const ctx = createMappingContext({ instrumentationKey: options.instrumentationKey });
  const deliver = (item: TappedItem): void => {
    for (const listener of listeners) {
      try {
        listener(item);
      } catch {
        // Auto-collection is best effort; the app and its telemetry come first.
      }
    }
  };
  const spanProcessor: SpanProcessor = {
    onStart(span: Span): void {
      // Every span becomes a request or a dependency, and each is counted by the standard metrics.
      if (options.markProcessed) span.setAttribute(PROCESSED_BY_METRIC_EXTRACTORS, METRIC_EXTRACTOR_MARK);
    },
    onEnd(span: ReadableSpan): void {
      if (listeners.length === 0) return;
      let envelopes: Envelope[];
      try {
        envelopes = spanToEnvelopes(span, ctx);
      } catch {
        return;
      }
      const durationMillis = hrToMillis(span.duration);
      envelopes.forEach((envelope, i) => deliver({ envelope, durationMillis: i === 0 ? durationMillis : 0 }));
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const logRecordProcessor: LogRecordProcessor = {
    onEmit(record: ReadWriteLogRecord): void {
      if (options.markProcessed) record.setAttribute(PROCESSED_BY_METRIC_EXTRACTORS, METRIC_EXTRACTOR_MARK);
      if (listeners.length === 0) return;
      let envelope: Envelope;
      try {
        envelope = logRecordToEnvelope(record as unknown as ReadableLogRecord, ctx);
      } catch {
        return;
      }
      deliver({ envelope, durationMillis: 0 });
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  return { spanProcessor, logRecordProcessor, listen: (listener) => { listeners.push(listener); } };
}
