import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type MetricData, type MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { STANDARD_METRIC_IDS } from '@appinsights-otel/core';
import type { TappedItem } from './create-telemetry-tap';
import {
  emptyAggregate, oneBucketHistogramPoint, OVERFLOW_ATTRIBUTES, recordHistogramValue, SERIES_LIMIT, type AggregateCell,
} from '../metrics/aggregate-cell';
/** Separates the dimension values in a series key. */
const SEP = '\u0000';

const otelNameOf = (metricId: string): string => {
  const entry = Object.entries(STANDARD_METRIC_IDS).find(([, id]) => id === metricId);
  if (!entry) throw new Error(`no standard metric ${metricId}`);
  return entry[0];
};

const descriptor = (metricId: string, description: string, unit: string): MetricDescriptor => ({
  name: otelNameOf(metricId), description, unit, valueType: ValueType.DOUBLE,
});

const bool = (value: boolean): string => (value ? 'True' : 'False');

/**
 * The series of one metric in the current interval, in first-recorded order (the SDK's order). The
 * series of one role (`cloud/roleName`, `cloud/roleInstance`: the same for every item of a process,
 * in practice) share a map, found by comparing the item's role strings with the last one's, so a
 * key holds only the other dimension values.
 */
class Series {
  private order: AggregateCell[] = [];
  private byRole = new Map<string, Map<string, AggregateCell>>();
  private overflow: AggregateCell | undefined;
  private lastRoleName: string | undefined;
  private lastRoleInstance: string | undefined;
  private lastCells: Map<string, AggregateCell> | undefined;

  /** The cell of `item`'s series (`key`: its dimensions besides the role); `attributesOf` runs only when the series is new. */
  cell(key: string, item: TappedItem, attributesOf: (item: TappedItem) => Attributes): AggregateCell {
    const cells = this.cellsOfRole(item);
    const found = cells.get(key);
    if (found !== undefined) return found;
    if (this.order.length >= SERIES_LIMIT) return this.overflowCell();
    const created = emptyAggregate(attributesOf(item));
    cells.set(key, created);
    this.order.push(created);
    return created;
  }

  /** The interval's cells, and a fresh interval (delta temporality). */
  drain(): AggregateCell[] {
    const cells = this.order;
    if (cells.length > 0) {
      this.order = [];
      this.byRole = new Map();
      this.overflow = undefined;
      this.lastRoleName = undefined;
      this.lastRoleInstance = undefined;
      this.lastCells = undefined;
    }
    return cells;
  }

  private cellsOfRole(item: TappedItem): Map<string, AggregateCell> {
    if (this.lastCells !== undefined && item.roleName === this.lastRoleName && item.roleInstance === this.lastRoleInstance) return this.lastCells;
    const roleKey = JSON.stringify([item.roleName, item.roleInstance]);
    let cells = this.byRole.get(roleKey);
    if (cells === undefined) {
      cells = new Map();
      this.byRole.set(roleKey, cells);
    }
    this.lastRoleName = item.roleName;
    this.lastRoleInstance = item.roleInstance;
    this.lastCells = cells;
    return cells;
  }

  private overflowCell(): AggregateCell {
    if (this.overflow === undefined) {
      this.overflow = emptyAggregate(OVERFLOW_ATTRIBUTES);
      this.order.push(this.overflow);
    }
    return this.overflow;
  }
}

// Keys of the dimensions besides the role. Fixed-form values (booleans) come first; with one free
// text value last, the key is unambiguous whatever that value holds. Dependencies have three: the
// key is JSON (exact) when the first two hold the separator.
const requestKey = (i: TappedItem): string => `${i.synthetic}${SEP}${i.success}${SEP}${i.resultCode}`;
const dependencyKey = (i: TappedItem): string => (i.dependencyType.includes(SEP) || i.dependencyTarget.includes(SEP)
  ? JSON.stringify([i.synthetic, i.success, i.dependencyType, i.dependencyTarget, i.resultCode])
  : `${i.synthetic}${SEP}${i.success}${SEP}${i.dependencyType}${SEP}${i.dependencyTarget}${SEP}${i.resultCode}`);
const exceptionKey = (i: TappedItem): string => (i.synthetic ? 'true' : 'false');
const traceKey = (i: TappedItem): string => `${i.synthetic}${SEP}${i.severityLevel}`;

// The dimensions, in the order (and so the property order) the standard metrics always had.
const requestAttributes = (i: TappedItem): Attributes => ({
  'cloud/roleName': i.roleName, 'cloud/roleInstance': i.roleInstance, 'operation/synthetic': bool(i.synthetic),
  'request/resultCode': i.resultCode, 'Request.Success': bool(i.success),
});
const dependencyAttributes = (i: TappedItem): Attributes => ({
  'cloud/roleName': i.roleName, 'cloud/roleInstance': i.roleInstance, 'operation/synthetic': bool(i.synthetic),
  'Dependency.Type': i.dependencyType, 'dependency/target': i.dependencyTarget,
  'dependency/resultCode': i.resultCode, 'Dependency.Success': bool(i.success),
});
const exceptionAttributes = (i: TappedItem): Attributes => ({
  'cloud/roleName': i.roleName, 'cloud/roleInstance': i.roleInstance, 'operation/synthetic': bool(i.synthetic),
});
const traceAttributes = (i: TappedItem): Attributes => ({
  'cloud/roleName': i.roleName, 'cloud/roleInstance': i.roleInstance, 'operation/synthetic': bool(i.synthetic),
  'trace/severityLevel': i.severityLevel,
});

/** The metrics and the order the SDK reported them in (the order their instruments were created). */
const REQUESTS = descriptor('requests/duration', 'Server response time', 'ms');
const DEPENDENCIES = descriptor('dependencies/duration', 'Dependency call duration', 'ms');
const EXCEPTIONS = descriptor('exceptions/count', 'Exceptions', '');
const TRACES = descriptor('traces/count', 'Traces', '');

function histogramData(metric: MetricDescriptor, cells: readonly AggregateCell[], startTime: HrTime, endTime: HrTime): MetricData {
  return {
    descriptor: metric,
    aggregationTemporality: AggregationTemporality.DELTA,
    dataPointType: DataPointType.HISTOGRAM,
    // every series here has counted at least one value, so min and max are always there
    dataPoints: cells.map((c) => oneBucketHistogramPoint(c, startTime, endTime)),
  };
}

function counterData(metric: MetricDescriptor, cells: readonly AggregateCell[], startTime: HrTime, endTime: HrTime): MetricData {
  return {
    descriptor: metric,
    aggregationTemporality: AggregationTemporality.DELTA,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: cells.map((c) => ({ attributes: c.attributes, startTime, endTime, value: c.count })),
  };
}

/** Standard metrics aggregated in place; see {@link createStandardMetricsAggregator}. */
export interface StandardMetricsAggregator {
  /** Counts one tapped item (a listener of the telemetry tap). */
  readonly record: (item: TappedItem) => void;
  /**
   * The interval's metrics (delta: only series recorded since the last collection, which this
   * starts anew), ending at `endTime`; metrics with no series are left out.
   */
  collect(endTime: HrTime): MetricData[];
}

/**
 * Standard metrics without the metrics SDK on the record path: `requests/duration` and
 * `dependencies/duration` (count, sum, min, max in ms) and `exceptions/count` and `traces/count`,
 * each a map from a string key of the dimension values to its aggregate, so a record costs one
 * string and one map lookup instead of the SDK's attribute hashing. `collect` hands out the same
 * MetricData the SDK's instruments did (names, descriptions, units, attributes and their order,
 * DELTA temporality, series order, the 2,000-series cardinality limit with its overflow series), so
 * the exported envelopes are the same; histogram points carry one bucket (Application Insights
 * reads count, sum, min and max only). `startTime` is the interval's start (creation or the last
 * collection).
 */
export function createStandardMetricsAggregator(startTime: HrTime): StandardMetricsAggregator {
  const requests = new Series();
  const dependencies = new Series();
  const exceptions = new Series();
  const traces = new Series();
  let intervalStart = startTime;
  const record = (item: TappedItem): void => {
    switch (item.kind) {
      case 'request':
        if (!(item.durationMillis < 0)) recordHistogramValue(requests.cell(requestKey(item), item, requestAttributes), item.durationMillis);
        break;
      case 'dependency':
        if (!(item.durationMillis < 0)) recordHistogramValue(dependencies.cell(dependencyKey(item), item, dependencyAttributes), item.durationMillis);
        break;
      case 'exception':
        exceptions.cell(exceptionKey(item), item, exceptionAttributes).count += 1;
        break;
      case 'trace':
        traces.cell(traceKey(item), item, traceAttributes).count += 1;
        break;
      default:
        break;
    }
  };
  return {
    record,
    collect(endTime) {
      const start = intervalStart;
      intervalStart = endTime;
      const out: MetricData[] = [];
      const r = requests.drain();
      if (r.length > 0) out.push(histogramData(REQUESTS, r, start, endTime));
      const d = dependencies.drain();
      if (d.length > 0) out.push(histogramData(DEPENDENCIES, d, start, endTime));
      const e = exceptions.drain();
      if (e.length > 0) out.push(counterData(EXCEPTIONS, e, start, endTime));
      const t = traces.drain();
      if (t.length > 0) out.push(counterData(TRACES, t, start, endTime));
      return out;
    },
  };
}
