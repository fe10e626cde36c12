import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RequestNameSource } from '@appinsights-otel/core';
import type { OperationNameTracker } from '../operation-name/create-operation-name-tracker';
import { holdRequestItems } from './hold-request-items';
import type { RequestFilterOptions } from './request-filter-options';

/**
 * Items of one undecided request held back at most; past it the request is kept (its items are
 * sent), so a long-running request never holds unbounded memory.
 */
export const MAX_HELD_ITEMS_PER_REQUEST = 512;

/** The request filter, in front of the exporting span and log processors. */
export interface RequestFilter {
  /** Decides requests when they end. Put it before the exporting span processor. */
  readonly spanProcessor: SpanProcessor;
  /** The exporting span processor, receiving only the spans of kept requests (and spans outside any request). */
  wrapSpanProcessor(inner: SpanProcessor): SpanProcessor;
  /** The exporting log processor, receiving only the records of kept requests (and records outside any request). */
  wrapLogRecordProcessor(inner: LogRecordProcessor): LogRecordProcessor;
}

/** Options of {@link createRequestFilter}. */
export interface RequestFilterSetup {
  readonly filter: RequestFilterOptions;
  /** Links items to their request. */
  readonly tracker: Pick<OperationNameTracker, 'requestOf'>;
  /** As the exporters', for the predicate's `operationName`. */
  readonly requestNameSource?: RequestNameSource;
}

/**
 * A dropped request takes everything produced inside it in this process with it: its spans (and
 * their events) and log records never reach the exporting processors. Rules known at the start
 * (path, method, user agent, health probes) decide at once; route and predicate rules decide when
 * the request ends, and until then the request's items are held back (at most
 * {@link MAX_HELD_ITEMS_PER_REQUEST}), then sent or discarded together. Items outside any request
 * always pass. Processors in front of the exporting one (standard metrics, Live Metrics) see
 * everything.
 */
export function createRequestFilter(setup: RequestFilterSetup): RequestFilter {
  const { tracker } = setup;
  const hold = holdRequestItems({ ...setup, maxHeldItems: MAX_HELD_ITEMS_PER_REQUEST });

  const spanProcessor: SpanProcessor = {
    onStart(span: Span): void {
      if (tracker.requestOf(span) === span) hold.decisionOf(span);
    },
    onEnd(span: ReadableSpan): void {
      if (tracker.requestOf(span) === span) hold.decideAtEnd(span);
    },
    forceFlush: () => Promise.resolve(),
    shutdown(): Promise<void> {
      hold.keepPending(); // never lose what is held at shutdown
      return Promise.resolve();
    },
  };

  return {
    spanProcessor,
    wrapSpanProcessor: (inner) => ({
      onStart: (span: Span, context: Context) => inner.onStart(span, context),
      onEnd(span: ReadableSpan): void {
        if (tracker.requestOf(span) !== span) hold.route(span, () => inner.onEnd(span));
        else if (hold.decisionOf(span) !== 'drop') inner.onEnd(span);
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => spanProcessor.shutdown().then(() => inner.shutdown()),
    }),
    wrapLogRecordProcessor: (inner) => ({
      onEmit: (record: ReadWriteLogRecord, context?: Context) => hold.route(record, () => inner.onEmit(record, context)),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => spanProcessor.shutdown().then(() => inner.shutdown()),
    }),
  };
}
