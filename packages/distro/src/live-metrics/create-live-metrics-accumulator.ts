import { createProcessStats, type ProcessStats } from './create-process-stats';
import { createLiveFiltering } from './filtering/create-live-filtering';
import type { TappedItem } from './create-telemetry-tap';
import { countItem, emptyInterval, intervalMetrics } from './live-metrics-interval';
import type { LiveMetricsSample, LiveMetricsSource } from './protocol/create-live-metrics-session';

/** Sample documents kept per post, at most (the portal shows a few per second). */
export const MAX_DOCUMENTS_PER_POST = 20;

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
      countItem(interval, item);
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
      const processUse = stats.sample();
      interval = emptyInterval();
      startedAt = now();
      const derived = filtering.collect();
      return {
        metrics: [...intervalMetrics(done, seconds, processUse), ...derived.metrics],
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
