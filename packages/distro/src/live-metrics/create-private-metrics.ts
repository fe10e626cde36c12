import type { Meter } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { azureMonitorTemporalitySelector } from '@appinsights-otel/core';

/** Metrics only the Azure Monitor reader sees (performance counters, standard metrics). */
export interface PrivateMetrics {
  readonly meter: Meter;
  /** Give to the Azure Monitor `PeriodicExportingMetricReader` as a metric producer. */
  readonly producer: MetricProducer;
  shutdown(): Promise<void>;
}

/** A reader that only answers `collect()` (the Azure Monitor reader pulls through the producer). */
class PullReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> { /* nothing buffered */ }
  protected override async onShutdown(): Promise<void> { /* nothing to release */ }
}

/**
 * A meter whose metrics reach Application Insights through the distro's own exporting reader
 * (as a metric producer), and nothing else: your `metricReaders` (e.g. Prometheus) and `views`
 * never see performance counters or standard metrics, as with the official distro. Delta
 * temporality, like every metric sent to Application Insights.
 */
export function createPrivateMetrics(resource: Resource, meterName: string): PrivateMetrics {
  const reader = new PullReader({ aggregationTemporalitySelector: azureMonitorTemporalitySelector });
  const provider = new MeterProvider({ resource, readers: [reader] });
  return {
    meter: provider.getMeter(meterName),
    producer: { collect: (options) => reader.collect(options) },
    shutdown: () => provider.shutdown(),
  };
}
