import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createTraceBasedLogProcessor } from './create-trace-based-log-processor';

/** What the logger provider is built from. */
export interface LogsInput {
  readonly resource: Resource;
  /** The `logRecordProcessors` setting, then the Live Metrics tap's: before the exporting processor. */
  readonly processors: readonly LogRecordProcessor[];
  /** Absent when logs are not exported. */
  readonly exporter: LogRecordExporter | undefined;
  /** The `traceBasedLogSampling` setting. */
  readonly traceBasedLogSampling: boolean;
  /** The sampler's fixed percentage, when below 100 (kept records carry it as `sampleRate`). */
  readonly samplePercentage: number | undefined;
  /** Puts the exporting processor behind the request filter (inside trace-based sampling, which must set attributes at emit). */
  readonly wrapExporting?: (exporting: LogRecordProcessor) => LogRecordProcessor;
}

/** The logger provider: the given processors, then batch export (following trace sampling unless turned off). */
export function buildLoggerProvider(input: LogsInput): LoggerProvider {
  const batch = input.exporter ? new BatchLogRecordProcessor({ exporter: input.exporter }) : undefined;
  let exporting: LogRecordProcessor | undefined = batch && input.wrapExporting ? input.wrapExporting(batch) : batch;
  if (exporting !== undefined && input.traceBasedLogSampling) exporting = createTraceBasedLogProcessor(exporting, input.samplePercentage);
  return new LoggerProvider({ resource: input.resource, processors: [...input.processors, ...(exporting ? [exporting] : [])] });
}
