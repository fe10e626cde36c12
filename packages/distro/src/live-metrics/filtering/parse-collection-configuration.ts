import type {
  CollectionConfigurationError, CollectionConfigurationErrorType, DerivedMetricInfo, DocumentStreamInfo, FilterInfo,
} from '../protocol/quick-pulse-contracts';
import { compileFilter, parseFilterableTelemetryType, type FilterPredicate } from './compile-filter';
import type { FilterableTelemetryType } from './item-to-filter-subject';
import { LiveFilterError, type LiveFilterErrorCode } from './live-filter-error';

/** Entries applied per configuration, at most: the bound on the tap's work per item while one is active. */
export const CONFIGURATION_LIMITS = Object.freeze({
  derivedMetrics: 100,
  documentStreams: 100,
  /** Filter groups per derived metric or document stream. */
  filterGroups: 10,
  /** Filters per group. */
  filters: 20,
});

/** What a derived metric adds up per item. */
export type Projection = { readonly kind: 'count' } | { readonly kind: 'duration' } | { readonly kind: 'customDimension'; readonly key: string };
/** How a derived metric aggregates within one post. */
export type Aggregation = 'Sum' | 'Avg' | 'Min' | 'Max';

/** A derived metric, ready to evaluate. */
export interface CompiledDerivedMetric {
  readonly id: string;
  /** Its filter groups, OR-ed (each group's filters AND-ed); no group means every item. */
  readonly matches: FilterPredicate;
  readonly projection: Projection;
  readonly aggregation: Aggregation;
}

/** One document stream's filters for one telemetry type. */
interface CompiledDocumentStream {
  readonly id: string;
  readonly matches: FilterPredicate;
}

/** A filter configuration, compiled: what applies per telemetry type, and what does not (and why). */
export interface LiveConfiguration {
  readonly etag: string;
  readonly metrics: ReadonlyMap<FilterableTelemetryType, readonly CompiledDerivedMetric[]>;
  readonly streams: ReadonlyMap<FilterableTelemetryType, readonly CompiledDocumentStream[]>;
  readonly errors: readonly CollectionConfigurationError[];
}

const AGGREGATIONS = new Set<string>(['Sum', 'Avg', 'Min', 'Max']);

const METRIC_ERROR_TYPES: Readonly<Record<LiveFilterErrorCode, CollectionConfigurationErrorType>> = {
  AI_LIVE_TELEMETRY_TYPE: 'MetricTelemetryTypeUnsupported',
  AI_LIVE_FILTER: 'MetricFailureToCreateFilterUnexpected',
  AI_LIVE_METRIC: 'MetricFailureToCreate',
  AI_LIVE_DUPLICATE_ID: 'MetricDuplicateIds',
  AI_LIVE_CONFIGURATION: 'MetricFailureToCreate',
};

const STREAM_ERROR_TYPES: Readonly<Record<LiveFilterErrorCode, CollectionConfigurationErrorType>> = {
  AI_LIVE_TELEMETRY_TYPE: 'DocumentStreamFailureToCreate',
  AI_LIVE_FILTER: 'DocumentStreamFailureToCreateFilterUnexpected',
  AI_LIVE_METRIC: 'DocumentStreamFailureToCreate',
  AI_LIVE_DUPLICATE_ID: 'DocumentStreamDuplicateIds',
  AI_LIVE_CONFIGURATION: 'DocumentStreamFailureToCreate',
};

/** A `CollectionConfigurationError` for a configuration problem, with the ids the portal matches it by. */
export function configurationError(
  type: CollectionConfigurationErrorType, error: unknown, data: Readonly<Record<string, string>>,
): CollectionConfigurationError {
  const message = error instanceof Error ? error.message : String(error);
  return {
    CollectionConfigurationErrorType: type,
    Message: message,
    FullException: error instanceof Error ? `${error.name}: ${message}` : message,
    Data: Object.entries(data).map(([key, value]) => ({ key, value })),
  };
}

const shapeError = (what: string): LiveFilterError => new LiveFilterError('AI_LIVE_CONFIGURATION', what);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileGroup(group: unknown, type: FilterableTelemetryType): FilterPredicate {
  if (!isObject(group) || !Array.isArray(group.Filters)) throw shapeError('a filter group must be {"Filters": [...]}');
  if (group.Filters.length > CONFIGURATION_LIMITS.filters) throw new LiveFilterError('AI_LIVE_FILTER', `more than ${CONFIGURATION_LIMITS.filters} filters in one group`);
  const filters = group.Filters.map((filter) => {
    if (!isObject(filter)) throw shapeError('a filter must be {"FieldName", "Predicate", "Comparand"}');
    return compileFilter(filter as unknown as FilterInfo, type);
  });
  return (subject) => filters.every((passes) => passes(subject));
}

function anyOf(predicates: readonly FilterPredicate[]): FilterPredicate {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0] as FilterPredicate;
  return (subject) => predicates.some((passes) => passes(subject));
}

function parseProjection(projection: unknown, type: FilterableTelemetryType): Projection {
  if (projection === 'Count()') return { kind: 'count' };
  if (projection === 'Duration') {
    if (type !== 'Request' && type !== 'Dependency') throw new LiveFilterError('AI_LIVE_METRIC', `the projection Duration is not supported for the telemetry type ${type}`);
    return { kind: 'duration' };
  }
  if (typeof projection === 'string' && projection.startsWith('CustomDimensions.') && projection.length > 'CustomDimensions.'.length) {
    return { kind: 'customDimension', key: projection.slice('CustomDimensions.'.length) };
  }
  if (typeof projection === 'string' && projection.startsWith('CustomMetrics.')) {
    throw new LiveFilterError('AI_LIVE_FILTER', 'the projection of a custom metric is not supported via OpenTelemetry');
  }
  throw new LiveFilterError('AI_LIVE_METRIC', `the projection '${String(projection)}' is not supported: use Count(), Duration or CustomDimensions.<key>`);
}

function compileMetric(info: DerivedMetricInfo, seen: Set<string>): [FilterableTelemetryType, CompiledDerivedMetric] {
  if (!isObject(info) || typeof info.Id !== 'string') throw shapeError('a derived metric must have a string Id');
  if (seen.has(info.Id)) throw new LiveFilterError('AI_LIVE_DUPLICATE_ID', `duplicate metric id: ${info.Id}`);
  seen.add(info.Id);
  const type = parseFilterableTelemetryType(String(info.TelemetryType));
  const projection = parseProjection(info.Projection, type);
  if (!AGGREGATIONS.has(info.Aggregation)) throw new LiveFilterError('AI_LIVE_METRIC', `the aggregation '${String(info.Aggregation)}' is not supported: use Sum, Avg, Min or Max`);
  if (!Array.isArray(info.FilterGroups)) throw shapeError('FilterGroups must be an array');
  if (info.FilterGroups.length > CONFIGURATION_LIMITS.filterGroups) throw new LiveFilterError('AI_LIVE_FILTER', `more than ${CONFIGURATION_LIMITS.filterGroups} filter groups`);
  const matches = anyOf(info.FilterGroups.map((group) => compileGroup(group, type)));
  return [type, { id: info.Id, matches, projection, aggregation: info.Aggregation as Aggregation }];
}

function push<T>(map: Map<FilterableTelemetryType, T[]>, type: FilterableTelemetryType, value: T): void {
  const list = map.get(type);
  if (list) list.push(value);
  else map.set(type, [value]);
}

function compileStreams(streams: readonly DocumentStreamInfo[], etag: string, errors: CollectionConfigurationError[]): Map<FilterableTelemetryType, CompiledDocumentStream[]> {
  const byType = new Map<FilterableTelemetryType, CompiledDocumentStream[]>();
  streams.forEach((stream, index) => {
    const id = isObject(stream) && typeof stream.Id === 'string' ? stream.Id : `#${index}`;
    try {
      if (index >= CONFIGURATION_LIMITS.documentStreams) throw shapeError(`more than ${CONFIGURATION_LIMITS.documentStreams} document streams`);
      if (!isObject(stream) || !Array.isArray(stream.DocumentFilterGroups)) throw shapeError('a document stream must have DocumentFilterGroups');
      if (stream.DocumentFilterGroups.length > CONFIGURATION_LIMITS.filterGroups) throw new LiveFilterError('AI_LIVE_FILTER', `more than ${CONFIGURATION_LIMITS.filterGroups} filter groups`);
    } catch (error) {
      errors.push(configurationError(STREAM_ERROR_TYPES[error instanceof LiveFilterError ? error.code : 'AI_LIVE_CONFIGURATION'], error, { DocumentStreamInfoId: id, ETag: etag }));
      return;
    }
    // Each group applies to one telemetry type; a bad group drops only itself, as the official client.
    for (const group of stream.DocumentFilterGroups) {
      try {
        if (!isObject(group)) throw shapeError('a document filter group must be {"TelemetryType", "Filters"}');
        const type = parseFilterableTelemetryType(String(group.TelemetryType));
        push(byType, type, { id, matches: compileGroup(group.Filters, type) });
      } catch (error) {
        errors.push(configurationError(STREAM_ERROR_TYPES[error instanceof LiveFilterError ? error.code : 'AI_LIVE_CONFIGURATION'], error, { DocumentStreamInfoId: id, ETag: etag }));
      }
    }
  });
  return byType;
}

function compileMetrics(metrics: readonly DerivedMetricInfo[], etag: string, errors: CollectionConfigurationError[]): Map<FilterableTelemetryType, CompiledDerivedMetric[]> {
  const byType = new Map<FilterableTelemetryType, CompiledDerivedMetric[]>();
  const seen = new Set<string>();
  metrics.forEach((info, index) => {
    try {
      if (index >= CONFIGURATION_LIMITS.derivedMetrics) throw shapeError(`more than ${CONFIGURATION_LIMITS.derivedMetrics} derived metrics`);
      const [type, metric] = compileMetric(info, seen);
      push(byType, type, metric);
    } catch (error) {
      const id = isObject(info) && typeof info.Id === 'string' ? info.Id : `#${index}`;
      errors.push(configurationError(METRIC_ERROR_TYPES[error instanceof LiveFilterError ? error.code : 'AI_LIVE_CONFIGURATION'], error, { MetricId: id, ETag: etag }));
    }
  });
  return byType;
}

/**
 * The service's `CollectionConfigurationInfo` -> what the tap applies, with the official client's
 * rules: derived metrics of types Request, Dependency, Exception, Trace (ids unique; filter groups
 * OR-ed, filters AND-ed; projections `Count()`, `Duration`, `CustomDimensions.<key>`; Sum, Avg,
 * Min, Max) and document streams per telemetry type. Whatever cannot be applied becomes a
 * `CollectionConfigurationError` of the spec's type, with `MetricId` / `DocumentStreamInfoId` and
 * `ETag`; the rest still applies. At most {@link CONFIGURATION_LIMITS} entries. Never throws. Pure.
 */
export function parseCollectionConfiguration(info: unknown, etag: string): LiveConfiguration {
  const errors: CollectionConfigurationError[] = [];
  if (!isObject(info) || !Array.isArray(info.Metrics ?? []) || !Array.isArray(info.DocumentStreams ?? [])) {
    errors.push(configurationError(
      'CollectionConfigurationFailureToCreateUnexpected',
      shapeError('the configuration is not a CollectionConfigurationInfo ({"Metrics": [...], "DocumentStreams": [...]})'),
      { ETag: etag },
    ));
    return { etag, metrics: new Map(), streams: new Map(), errors };
  }
  const metrics = compileMetrics((info.Metrics ?? []) as DerivedMetricInfo[], etag, errors);
  const streams = compileStreams((info.DocumentStreams ?? []) as DocumentStreamInfo[], etag, errors);
  return { etag, metrics, streams, errors };
}
