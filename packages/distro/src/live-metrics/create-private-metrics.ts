import type { HrTime, Meter } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type CollectionResult, type MetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { azureMonitorTemporalitySelector } from '@appinsights-otel/core';

/** Metrics aggregated outside the SDK (standard metrics), collected with the meter's. */
export interface PreAggregatedMetrics {
  /** The interval's metrics, ending at `endTime` (the collection time). */
  collect(endTime: HrTime): MetricData[];
}

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

/** `result` with `first` put ahead of the metrics of the scope named `scopeName` (added if absent). */
function withMetricsFirst(result: CollectionResult, scopeName: string, first: readonly MetricData[]): CollectionResult {
  if (first.length === 0) return result;
  const { scopeMetrics } = result.resourceMetrics;
  const found = scopeMetrics.some((s) => s.scope.name === scopeName);
  return {
    ...result,
    resourceMetrics: {
      ...result.resourceMetrics,
      scopeMetrics: found
        ? scopeMetrics.map((s) => (s.scope.name === scopeName ? { ...s, metrics: [...first, ...s.metrics] } : s))
        : [...scopeMetrics, { scope: { name: scopeName, version: '' }, metrics: [...first] }],
    },
  };
}

/**
 * A meter whose metrics reach Application Insights through the distro's own exporting reader
 * (as a metric producer), and nothing else: your `metricReaders` (e.g. Prometheus) and `views`
 * never see performance counters or standard metrics, as with the official distro. Delta
 * temporality, like every metric sent to Application Insights. `preAggregated` (standard metrics)
 * is collected at the same time and reported first in the meter's scope, where the SDK reported
 * those metrics when they were its instruments (created before the performance counters).
 */
export function createPrivateMetrics(resource: Resource, meterName: string, preAggregated?: PreAggregatedMetrics): PrivateMetrics {
  const reader = new PullReader({ aggregationTemporalitySelector: azureMonitorTemporalitySelector });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter(meterName);
  const collect = preAggregated
    ? async (options?: Parameters<MetricProducer['collect']>[0]): Promise<CollectionResult> => {
      const first = preAggregated.collect(millisToHrTime(Date.now()));
      return withMetricsFirst(await reader.collect(options), meterName, first);
    }
    : (options?: Parameters<MetricProducer['collect']>[0]): Promise<CollectionResult> => reader.collect(options);
  return {
    meter,
    producer: { collect },
    shutdown: () => provider.shutdown(),
  };
}
