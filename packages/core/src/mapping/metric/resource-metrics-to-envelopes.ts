import { diag } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint as OtelDataPoint, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Envelope } from '../../contracts/envelope';
import type { DataPoint } from '../../contracts/metrics-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { attributesToProperties } from '../common/attributes/attributes-to-properties';
import { createEnvelope, optionalProperties } from '../common/envelope/create-envelope';
import { hrTimeToIsoString } from '../common/time/hr-time-to-iso-string';
import type { MappingContext } from '../common/envelope/mapping-context';
import { truncateString } from '../common/limits/truncate-string';
import { metricNameToWire } from './metric-names';

/** Envelopes of one collection, and how many data points were skipped for non-finite values. */
export interface MetricEnvelopeBatch {
  envelopes: Envelope[];
  skippedDataPoints: number;
}

interface HistogramLike {
  sum?: number;
  count: number;
  min?: number;
  max?: number;
}

const finite = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

/** One OTel point -> the wire data point, or undefined when its value is not a finite number. */
function toDataPoint(name: string, metric: MetricData, point: OtelDataPoint<unknown>): DataPoint | undefined {
  if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
    const value = point.value;
    return typeof value === 'number' && Number.isFinite(value) ? { name, kind: 'Measurement', value } : undefined;
  }
  const histogram = point.value as HistogramLike;
  const sum = histogram.sum ?? 0;
  if (!finite(sum) || !finite(histogram.count)) return undefined;
  return {
    name,
    kind: 'Aggregation',
    value: sum,
    count: histogram.count,
    ...(finite(histogram.min) ? { min: histogram.min } : {}),
    ...(finite(histogram.max) ? { max: histogram.max } : {}),
  };
}

/**
 * A collection -> one MetricData envelope per data point (time = the point's end time; sums and
 * gauges -> `value`; histograms and exponential histograms -> `value` = sum, `count`, `min`,
 * `max`; point attributes -> properties; performance-counter and standard-metric names -> their
 * wire names, see `metricNameToWire`), plus the number of points skipped because a value was
 * NaN or infinite (each collection with skips logs one diag warning). Metrics are never sampled.
 */
export function resourceMetricsToEnvelopeBatch(resourceMetrics: ResourceMetrics, ctx: MappingContext): MetricEnvelopeBatch {
  const envelopes: Envelope[] = [];
  let skippedDataPoints = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const wire = metricNameToWire(metric.descriptor.name);
      const name = truncateString(wire.name, SERVICE_LIMITS.NAME_MAX_CHARS);
      for (const point of metric.dataPoints as OtelDataPoint<unknown>[]) {
        const dataPoint = toDataPoint(name, metric, point);
        if (!dataPoint) {
          skippedDataPoints += 1;
          continue;
        }
        const properties = { ...attributesToProperties(Object.entries(point.attributes)), ...wire.properties };
        envelopes.push(
          createEnvelope(ctx, resourceMetrics.resource, {
            time: hrTimeToIsoString(point.endTime),
            tags: {},
            data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [dataPoint], ...optionalProperties(properties) } },
          }),
        );
      }
    }
  }
  if (skippedDataPoints > 0) diag.warn(`skipped ${skippedDataPoints} metric data points with non-finite values`);
  return { envelopes, skippedDataPoints };
}

/** {@link resourceMetricsToEnvelopeBatch} without the skip count. */
export function resourceMetricsToEnvelopes(resourceMetrics: ResourceMetrics, ctx: MappingContext): Envelope[] {
  return resourceMetricsToEnvelopeBatch(resourceMetrics, ctx).envelopes;
}
