import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createSignalPipeline, logRecordToEnvelope } from '@appinsights-otel/core';
import type { ExportPipeline, SignalExporterOptions } from '@appinsights-otel/core';

/** Options of {@link AzureMonitorLogExporter}. */
export type AzureMonitorLogExporterOptions = Omit<SignalExporterOptions, 'successOverride'>;

/**
 * An OpenTelemetry `LogRecordExporter` that sends log records to Azure Application Insights as
 * traces, exceptions or custom events, with Microsoft Entra ID auth when a `credential` is given.
 *
 * @throws ConfigError when the connection string or credential settings are invalid.
 */
export class AzureMonitorLogExporter implements LogRecordExporter {
  private readonly _pipeline: ExportPipeline<ReadableLogRecord>;

  constructor(options: AzureMonitorLogExporterOptions = {}) {
    this._pipeline = createSignalPipeline<ReadableLogRecord>('logs', options, (records, ctx) => records.map((record) => logRecordToEnvelope(record, ctx)));
  }

  /** Sends `logs`; `resultCallback` is called exactly once. */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this._pipeline.export(logs, resultCallback);
  }

  /** Waits for running exports and sends the offline backlog. */
  forceFlush(): Promise<void> {
    return this._pipeline.forceFlush();
  }

  /** Sends what it can, persists the rest, and releases every resource. Later exports fail fast. */
  shutdown(): Promise<void> {
    return this._pipeline.shutdown();
  }
}
