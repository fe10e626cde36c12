import { createProcessStats, type ProcessStats } from './create-process-stats';
import { createLiveFiltering } from './filtering/create-live-filtering';
import type { TappedItem } from './create-telemetry-tap';
import type { LiveMetricsSample, LiveMetricsSource } from './protocol/create-live-metrics-session';
import { LIVE_METRIC_NAMES, type DocumentIngress, type MetricPoint } from './protocol/quick-pulse-contracts';

/** Sample documents kept per post, at most (the portal shows a few per second). */
export const MAX_DOCUMENTS_PER_POST = 20;

/** Counts of one interval. */
interface Interval {
  requests: number;
  requestsFailed: number;
  requestMillis: number;
  dependencies: number;
  dependenciesFailed: number;
  dependencyMillis: number;
  exceptions: number;
  documents: DocumentIngress[];
}

const emptyInterval = (): Interval => ({
  requests: 0, requestsFailed: 0, requestMillis: 0, dependencies: 0, dependenciesFailed: 0, dependencyMillis: 0, exceptions: 0, documents: [],
});

/** The Live Metrics source: counts what the tap sees, and turns each interval into rates. */
export interface LiveMetricsAccumulator extends LiveMetricsSource {
  /** Feed one item (a tap listener). */
  record(item: TappedItem): void;
}

/** Options of {@link createLiveMetricsAccumulator}. */
export interface LiveMetricsAccumulatorOptions {
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
  readonly processStats?: ProcessStats;
}

/**
 * Creates the Live Metrics source: per interval (one post) the request, dependency and exception
 * rates per second, failed rates, average durations (ms), process CPU (%) and committed memory
 * (bytes), and up to {@link MAX_DOCUMENTS_PER_POST} sample documents. Documents are only built
 * (the item mapped whole) while someone watches, at most that many per post; counting is a few
 * additions per item. While someone watches with a filter configuration (see
 * `createLiveFiltering`), derived metrics join the metrics, and document streams decide which
 * documents go (filtered before the cap) and carry their stream ids.
 */
export function createLiveMetricsAccumulator(options: LiveMetricsAccumulatorOptions = {}): LiveMetricsAccumulator {
  const now = options.now ?? (() => performance.now());
  const stats = options.processStats ?? createProcessStats(now);
  let interval = emptyInterval();
  let startedAt = now();
  let watching = false;
  const filtering = createLiveFiltering();

  function reset(): void {
    interval = emptyInterval();
    startedAt = now();
    stats.sample();
  }

  return {
    record(item: TappedItem): void {
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
      if (!watching) return;
      // Filtering (and so derived metrics) first: a document is counted against the cap only when it goes.
      const verdict = filtering.active ? filtering.observe(item) : undefined;
      // The only place a whole item is built for a document: while someone watches, and at most what one post sends.
      if (verdict?.send === 'none' || interval.documents.length >= MAX_DOCUMENTS_PER_POST) return;
      const document = item.document();
      if (document) interval.documents.push(verdict?.send === 'streams' ? { ...document, DocumentStreamIds: verdict.streamIds } : document);
    },
    collect(): LiveMetricsSample {
      const seconds = Math.max(0.001, (now() - startedAt) / 1_000);
      const done = interval;
      const { processCpuPercent, privateBytes } = stats.sample();
      interval = emptyInterval();
      startedAt = now();
      const metric = (Name: string, Value: number, Weight = 1): MetricPoint => ({ Name, Value, Weight });
      const derived = filtering.collect();
      return {
        metrics: [
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
          ...derived.metrics,
        ],
        documents: done.documents,
        errors: derived.errors,
      };
    },
    onSubscribedChange(subscribed: boolean): void {
      watching = subscribed;
      if (!subscribed) filtering.clear();
      reset();
    },
    onConfiguration(configuration: unknown, etag: string): void {
      filtering.configure(configuration, etag);
    },
  };
}
