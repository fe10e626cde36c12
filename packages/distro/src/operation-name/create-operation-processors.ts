import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OperationNameLookup } from '@appinsights-otel/core';
import type { DistroSettings } from '../config/settings-table';
import { createRequestFilter } from '../request-filter/create-request-filter';
import { createOperationNameTracker } from './create-operation-name-tracker';

/** The processors that follow each request's operation (its name, and the request filter), for the composition root. */
export interface OperationProcessors {
  /** For the trace and log exporters and the Live Metrics tap (`operationNameOf` of the mapping options). */
  readonly operationNameOf: OperationNameLookup;
  /** First in the tracer provider, before every other processor. */
  readonly leadingSpanProcessors: readonly SpanProcessor[];
  /** First in the logger provider, before every other processor. */
  readonly leadingLogRecordProcessors: readonly LogRecordProcessor[];
  /** The exporting span processor, behind the request filter when there is one. */
  wrapExportingSpanProcessor(exporting: SpanProcessor): SpanProcessor;
  /** The exporting log processor, behind the request filter when there is one. */
  wrapExportingLogRecordProcessor(exporting: LogRecordProcessor): LogRecordProcessor;
}

/**
 * The operation name tracker (every item inside a request gets its `ai.operation.name`) and, when
 * `filterRequests` is set, the request filter on top of it (a dropped request takes its items with it).
 */
export function createOperationProcessors(settings: Pick<DistroSettings, 'requestNameSource' | 'filterRequests'>): OperationProcessors {
  const source = settings.requestNameSource !== undefined ? { requestNameSource: settings.requestNameSource } : {};
  const tracker = createOperationNameTracker(source);
  const filter = settings.filterRequests !== undefined ? createRequestFilter({ filter: settings.filterRequests, tracker, ...source }) : undefined;
  return {
    operationNameOf: tracker.operationNameOf,
    leadingSpanProcessors: filter ? [tracker.spanProcessor, filter.spanProcessor] : [tracker.spanProcessor],
    leadingLogRecordProcessors: [tracker.logRecordProcessor],
    wrapExportingSpanProcessor: (exporting) => (filter ? filter.wrapSpanProcessor(exporting) : exporting),
    wrapExportingLogRecordProcessor: (exporting) => (filter ? filter.wrapLogRecordProcessor(exporting) : exporting),
  };
}
