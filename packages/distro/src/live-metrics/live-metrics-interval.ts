import type { TappedItem } from './create-telemetry-tap';
import { LIVE_METRIC_NAMES, type DocumentIngress, type MetricPoint } from './protocol/quick-pulse-contracts';

/** Counts of one Live Metrics interval (one post), and its sample documents. */
export interface LiveMetricsInterval {
  requests: number;
  requestsFailed: number;
  requestMillis: number;
  dependencies: number;
  dependenciesFailed: number;
  dependencyMillis: number;
  exceptions: number;
  documents: DocumentIngress[];
}

/** What the process used over the interval, as `ProcessStats.sample()` reports it. */
export interface IntervalProcessUse {
  readonly processCpuPercent: number;
  readonly privateBytes: number;
}

/** A new interval: nothing counted yet. */
export function emptyInterval(): LiveMetricsInterval {
  return { requests: 0, requestsFailed: 0, requestMillis: 0, dependencies: 0, dependenciesFailed: 0, dependencyMillis: 0, exceptions: 0, documents: [] };
}

/** Counts one tapped item into an interval: a few additions, nothing built. */
export function countItem(interval: LiveMetricsInterval, item: TappedItem): void {
  switch (item.kind) {
    case 'request':
      interval.requests++;
      interval.requestMillis += item.durationMillis;
      if (!item.success) interval.requestsFailed++;
      break;
    case 'dependency':
      interval.dependencies++;
      interval.dependencyMillis += item.durationMillis;
      if (!item.success) interval.dependenciesFailed++;
      break;
    case 'exception':
      interval.exceptions++;
      break;
    default:
      break;
  }
}

const metric = (Name: string, Value: number, Weight = 1): MetricPoint => ({ Name, Value, Weight });

/**
 * The standard Live Metrics of an interval that lasted `seconds`: rates per second, failed rates,
 * average durations (ms, weighted by their count), process CPU (%) and memory (bytes).
 */
export function intervalMetrics(done: LiveMetricsInterval, seconds: number, process: IntervalProcessUse): MetricPoint[] {
  const { processCpuPercent, privateBytes } = process;
  return [
    metric(LIVE_METRIC_NAMES.requestsPerSecond, done.requests / seconds),
    metric(LIVE_METRIC_NAMES.requestsFailedPerSecond, done.requestsFailed / seconds),
    metric(LIVE_METRIC_NAMES.requestDuration, done.requests > 0 ? done.requestMillis / done.requests : 0, Math.max(1, done.requests)),
    metric(LIVE_METRIC_NAMES.dependencyCallsPerSecond, done.dependencies / seconds),
    metric(LIVE_METRIC_NAMES.dependencyCallsFailedPerSecond, done.dependenciesFailed / seconds),
    metric(LIVE_METRIC_NAMES.dependencyCallDuration, done.dependencies > 0 ? done.dependencyMillis / done.dependencies : 0, Math.max(1, done.dependencies)),
    metric(LIVE_METRIC_NAMES.exceptionsPerSecond, done.exceptions / seconds),
    metric(LIVE_METRIC_NAMES.committedBytes, privateBytes),
    metric(LIVE_METRIC_NAMES.processorTime, processCpuPercent),
    metric(LIVE_METRIC_NAMES.physicalBytes, privateBytes),
    metric(LIVE_METRIC_NAMES.processorTimeNormalized, processCpuPercent),
  ];
}
