import type { TappedItem, TappedItemKind } from '../create-telemetry-tap';
import type { CollectionConfigurationError, MetricPoint } from '../protocol/quick-pulse-contracts';
import { createDerivedMetricValues, type DerivedMetricValues } from './create-derived-metric-values';
import { itemToFilterSubject, type FilterableTelemetryType, type FilterSubject } from './item-to-filter-subject';
import { configurationError, parseCollectionConfiguration, type LiveConfiguration } from './parse-collection-configuration';

/** The telemetry type of each kind of tapped item (custom events and the like are not filtered). */
const TYPE_OF_KIND: Readonly<Record<TappedItemKind, FilterableTelemetryType | undefined>> = {
  request: 'Request', dependency: 'Dependency', exception: 'Exception', trace: 'Trace', other: undefined,
};

/** What the configuration says of one item's sample document. */
type DocumentVerdict =
  /** No document stream for its type: send it as without a configuration (no stream ids). */
  | { readonly send: 'unfiltered' }
  /** It matches these streams: send it carrying their ids. */
  | { readonly send: 'streams'; readonly streamIds: readonly string[] }
  /** Streams exist for its type and it matches none: do not send it. */
  | { readonly send: 'none' };

/** The filter configuration in effect, applied to each item while someone watches. */
export interface LiveFiltering {
  /** Applies the service's `CollectionConfigurationInfo` (its ETag changed). */
  configure(info: unknown, etag: string): void;
  /** Drops the configuration (nobody watches). */
  clear(): void;
  /** Whether a configuration is in effect (only then does {@link observe} cost anything). */
  readonly active: boolean;
  /** Feeds derived metrics with the item and decides its document. */
  observe(item: TappedItem): DocumentVerdict;
  /** The interval's derived metric values and the configuration errors (run-time ones once), then a new interval. */
  collect(): { metrics: MetricPoint[]; errors: CollectionConfigurationError[] };
}

const UNFILTERED: DocumentVerdict = Object.freeze({ send: 'unfiltered' });
const NONE: DocumentVerdict = Object.freeze({ send: 'none' });

/**
 * Live Metrics filtering, as the official client does it: derived metrics computed per post,
 * document streams deciding which sample documents go and with which stream ids, configuration
 * errors posted back. Without a configuration it costs nothing per item. With one, an item costs
 * at most the filters its telemetry type has (at most `CONFIGURATION_LIMITS`), and one whole
 * mapping of the item only when a filter, projection or document needs a field beyond its facts
 * (name, URL, command, message, stack, custom dimensions).
 */
export function createLiveFiltering(): LiveFiltering {
  let configuration: LiveConfiguration | undefined;
  let values: DerivedMetricValues | undefined;
  let allMetricsCount = 0;
  const runTimeErrors = new Map<string, CollectionConfigurationError>();

  function recordMetrics(type: FilterableTelemetryType, subject: FilterSubject): void {
    for (const metric of configuration?.metrics.get(type) ?? []) {
      if (!metric.matches(subject)) continue;
      try {
        values?.record(metric, subject);
      } catch (error) {
        // One error per metric per post, however many items fail the same way.
        if (!runTimeErrors.has(metric.id)) runTimeErrors.set(metric.id, configurationError('MetricFailureToCreate', error, { MetricId: metric.id, ETag: configuration?.etag ?? '' }));
      }
    }
  }

  return {
    configure(info, etag) {
      configuration = parseCollectionConfiguration(info, etag);
      const metrics = [...configuration.metrics.values()].flat();
      allMetricsCount = metrics.length;
      values = createDerivedMetricValues(metrics);
      runTimeErrors.clear();
    },
    clear() {
      configuration = undefined;
      values = undefined;
      allMetricsCount = 0;
      runTimeErrors.clear();
    },
    get active() { return configuration !== undefined; },
    observe(item) {
      const type = TYPE_OF_KIND[item.kind];
      if (configuration === undefined || type === undefined) return UNFILTERED;
      const streams = configuration.streams.get(type);
      if (!configuration.metrics.has(type) && streams === undefined) return UNFILTERED;
      const subject = itemToFilterSubject(item, type);
      recordMetrics(type, subject);
      if (streams === undefined) return UNFILTERED;
      const ids: string[] = [];
      for (const stream of streams) if (!ids.includes(stream.id) && stream.matches(subject)) ids.push(stream.id);
      return ids.length > 0 ? { send: 'streams', streamIds: ids } : NONE;
    },
    collect() {
      if (configuration === undefined) return { metrics: [], errors: [] };
      const errors = [...configuration.errors, ...runTimeErrors.values()];
      runTimeErrors.clear();
      return { metrics: allMetricsCount > 0 && values ? values.collect() : [], errors };
    },
  };
}
