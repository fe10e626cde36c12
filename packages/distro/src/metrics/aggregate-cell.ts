import type { Attributes, HrTime } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';

/**
 * What the distro's own aggregations (standard metrics, the instrumentations' metrics) share with the
 * metrics SDK they stand in for: its default cardinality limit of 2,000 series per instrument and
 * interval (1,999 series, then one overflow series for the rest), the overflow series' attributes,
 * the histogram record and the point handed to the Application Insights exporter.
 */
export const SERIES_LIMIT = 1_999;

/** The overflow series' attributes (the SDK's). */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** One series' aggregate and the attributes it reports (those it was first recorded with, as the SDK). */
export interface AggregateCell {
  readonly attributes: Attributes;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** An empty aggregate. */
export const emptyAggregate = (attributes: Attributes): AggregateCell => ({ attributes, count: 0, sum: 0, min: Infinity, max: -Infinity });

/** A histogram record, as the SDK's: count, sum, and min/max by `Math.min`/`Math.max`. */
export function recordHistogramValue(cell: AggregateCell, value: number): void {
  cell.count += 1;
  cell.sum += value;
  cell.min = Math.min(value, cell.min);
  cell.max = Math.max(value, cell.max);
}

/**
 * A histogram point of `cell` with one bucket (Application Insights reads count, sum, min and max
 * only); min and max are left out of a series with no counted value, as the SDK leaves them.
 */
export function oneBucketHistogramPoint(cell: AggregateCell, startTime: HrTime, endTime: HrTime): DataPoint<Histogram> {
  const counted = cell.count > 0;
  return {
    attributes: cell.attributes, startTime, endTime,
    value: { min: counted ? cell.min : undefined, max: counted ? cell.max : undefined, sum: cell.sum, buckets: { boundaries: [], counts: [cell.count] }, count: cell.count },
  };
}
