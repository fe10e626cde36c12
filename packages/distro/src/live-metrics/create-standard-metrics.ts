import type { Attributes, Meter } from '@opentelemetry/api';
import { STANDARD_METRIC_IDS } from '@appinsights-otel/core';
import type { TappedItem } from './create-telemetry-tap';

const otelNameOf = (metricId: string): string => {
  const entry = Object.entries(STANDARD_METRIC_IDS).find(([, id]) => id === metricId);
  if (!entry) throw new Error(`no standard metric ${metricId}`);
  return entry[0];
};

const bool = (value: boolean): string => (value ? 'True' : 'False');

/** The dimensions every standard metric has (built literally: spreads cost more than the rest here). */
function commonDimensions(item: TappedItem): Attributes {
  return { 'cloud/roleName': item.roleName, 'cloud/roleInstance': item.roleInstance, 'operation/synthetic': bool(item.synthetic) };
}

/** Feeds standard metrics from tapped items. */
export type StandardMetricsRecorder = (item: TappedItem) => void;

/**
 * Creates the standard metrics (pre-aggregated, exact under sampling because every span is seen
 * before sampling drops it): `requests/duration` and `dependencies/duration` histograms (ms) and
 * `exceptions/count` and `traces/count` counters, with the dimensions the portal's charts group by,
 * named as the service and the classic SDKs name them (`Request.Success`, `Dependency.Type`,
 * `Dependency.Success`; values `True`/`False` and the dependency's own type, e.g. `SQL`, `HTTP`).
 * Core's metric mapper turns their OTel names (`azureMonitor.*`) into the metric ids and adds
 * `_MS.MetricId` and `_MS.IsAutocollected`.
 *
 * The metrics SDK path, no longer what `useAzureMonitor()` runs: it hashes the attributes of every
 * record. `createStandardMetricsAggregator` (standard-metrics-aggregator.ts) replaced it (issue 25);
 * this stays as the reference its tests compare envelopes with and the "before" of
 * bench/src/standard-metrics-record.js.
 */
export function createStandardMetrics(meter: Meter): StandardMetricsRecorder {
  const requestDuration = meter.createHistogram(otelNameOf('requests/duration'), { unit: 'ms', description: 'Server response time' });
  const dependencyDuration = meter.createHistogram(otelNameOf('dependencies/duration'), { unit: 'ms', description: 'Dependency call duration' });
  const exceptionCount = meter.createCounter(otelNameOf('exceptions/count'), { description: 'Exceptions' });
  const traceCount = meter.createCounter(otelNameOf('traces/count'), { description: 'Traces' });
  return (item) => {
    switch (item.kind) {
      case 'request':
        requestDuration.record(item.durationMillis, {
          'cloud/roleName': item.roleName, 'cloud/roleInstance': item.roleInstance, 'operation/synthetic': bool(item.synthetic),
          'request/resultCode': item.resultCode, 'Request.Success': bool(item.success),
        });
        break;
      case 'dependency':
        dependencyDuration.record(item.durationMillis, {
          'cloud/roleName': item.roleName, 'cloud/roleInstance': item.roleInstance, 'operation/synthetic': bool(item.synthetic),
          'Dependency.Type': item.dependencyType, 'dependency/target': item.dependencyTarget,
          'dependency/resultCode': item.resultCode, 'Dependency.Success': bool(item.success),
        });
        break;
      case 'exception':
        exceptionCount.add(1, commonDimensions(item));
        break;
      case 'trace':
        traceCount.add(1, {
          'cloud/roleName': item.roleName, 'cloud/roleInstance': item.roleInstance, 'operation/synthetic': bool(item.synthetic),
          'trace/severityLevel': item.severityLevel,
        });
        break;
      default:
        break;
    }
  };
}
