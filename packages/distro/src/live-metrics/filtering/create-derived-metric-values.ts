import type { MetricPoint } from '../protocol/quick-pulse-contracts';
import type { FilterSubject } from './item-to-filter-subject';
import { LiveFilterError } from './live-filter-error';
import type { CompiledDerivedMetric } from './parse-collection-configuration';

/** One derived metric's running aggregate within a post. */
interface Aggregate {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** Aggregates derived metrics over a post's interval. */
export interface DerivedMetricValues {
  /**
   * Adds one matching item to a metric.
   *
   * @throws LiveFilterError (`AI_LIVE_METRIC`) when the item has no number to project (missing or non-numeric custom dimension).
   */
  record(metric: CompiledDerivedMetric, subject: FilterSubject): void;
  /** Every metric's value of the interval as `{Name: Id, Value, Weight: 1}`, then starts a new interval. */
  collect(): MetricPoint[];
}

function projectedValue(metric: CompiledDerivedMetric, subject: FilterSubject): number {
  const { projection } = metric;
  if (projection.kind === 'count') return 1;
  if (projection.kind === 'duration') return subject.column('Duration') as number;
  const text = subject.customDimension(projection.key);
  if (text === undefined) throw new LiveFilterError('AI_LIVE_METRIC', `could not calculate the projection: the custom dimension '${projection.key}' was not found in the telemetry data`);
  const value = Number.parseFloat(text);
  if (Number.isNaN(value)) throw new LiveFilterError('AI_LIVE_METRIC', `could not calculate the projection: the custom dimension value '${text.slice(0, 64)}' of '${projection.key}' is not a number`);
  return value;
}

function valueOf(metric: CompiledDerivedMetric, aggregate: Aggregate): number {
  if (aggregate.count === 0) return 0; // nothing matched: 0, as the official client reports it
  switch (metric.aggregation) {
    case 'Sum': return aggregate.sum;
    case 'Avg': return aggregate.sum / aggregate.count;
    case 'Min': return aggregate.min;
    default: return aggregate.max;
  }
}

const emptyAggregate = (): Aggregate => ({ sum: 0, count: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });

/**
 * Derived metric values for a configuration's metrics: per metric, the projection (`Count()` = 1,
 * `Duration` in ms, a numeric custom dimension) aggregated by Sum, Avg, Min or Max over one post's
 * interval; a metric nothing matched reports 0. Four numbers of state per metric.
 */
export function createDerivedMetricValues(metrics: readonly CompiledDerivedMetric[]): DerivedMetricValues {
  const aggregates = new Map<string, Aggregate>(metrics.map((m) => [m.id, emptyAggregate()]));
  return {
    record(metric, subject) {
      const value = projectedValue(metric, subject);
      const aggregate = aggregates.get(metric.id);
      if (aggregate === undefined) return;
      aggregate.sum += value;
      aggregate.count++;
      if (value < aggregate.min) aggregate.min = value;
      if (value > aggregate.max) aggregate.max = value;
    },
    collect() {
      const points = metrics.map((metric): MetricPoint => ({ Name: metric.id, Value: valueOf(metric, aggregates.get(metric.id) ?? emptyAggregate()), Weight: 1 }));
      for (const metric of metrics) aggregates.set(metric.id, emptyAggregate());
      return points;
    },
  };
}
