import type { ExportResult } from '@opentelemetry/core';
import type { AggregationTemporality, InstrumentType, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { azureMonitorTemporalitySelector, createSignalPipeline, resourceMetricsToEnvelopes } from '@appinsights-otel/core';
import type { ExportPipeline, SignalExporterOptions } from '@appinsights-otel/core';

/** Options of {@link AzureMonitorMetricExporter}. */
export type AzureMonitorMetricExporterOptions = Omit<SignalExporterOptions, 'successOverride' | 'operationNameOf'>;

/**
 * An OpenTelemetry `PushMetricExporter` that sends one Application Insights metric per data point,
 * with Microsoft Entra ID auth when a `credential` is given. Asks for delta temporality, except for
 * up-down counters (cumulative).
 *
 * @throws ConfigError when the connection string or credential settings are invalid.
 */
export class AzureMonitorMetricExporter implements PushMetricExporter {
  private readonly _pipeline: ExportPipeline<ResourceMetrics>;

  constructor(options: AzureMonitorMetricExporterOptions = {}) {
    this._pipeline = createSignalPipeline<ResourceMetrics>('metrics', options, (batches, ctx) => batches.flatMap((rm) => resourceMetricsToEnvelopes(rm, ctx)));
  }

  /** Sends `metrics`; `resultCallback` is called exactly once. */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this._pipeline.export([metrics], resultCallback);
  }

  /** Delta for everything but up-down counters. */
  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return azureMonitorTemporalitySelector(instrumentType);
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
