import { SDK_STATS_METRIC_NAMES, type SdkStatsTelemetryType } from './sdk-stats-names';

/** What SDK Stats needs of one item: its `telemetry_type` and, for requests and dependencies, `success`. */
export interface ItemKind {
  readonly type: SdkStatsTelemetryType;
  readonly success?: boolean;
}

const TYPE_OF_BASE_TYPE: Readonly<Record<string, SdkStatsTelemetryType>> = {
  RequestData: 'REQUEST',
  RemoteDependencyData: 'DEPENDENCY',
  ExceptionData: 'EXCEPTION',
  MessageData: 'TRACE',
  EventData: 'CUSTOM_EVENT',
  MetricData: 'CUSTOM_METRIC',
  AvailabilityData: 'AVAILABILITY',
  PageViewData: 'PAGE_VIEW',
};

/** Performance counters travel as metrics named like `\Processor(_Total)\% Processor Time`. */
const PERFORMANCE_COUNTER_NAME = /^\\[^\\]+\\[^\\]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The name of a metric item's first data point. */
function metricName(baseData: Record<string, unknown>): string | undefined {
  const metrics = baseData['metrics'];
  const first: unknown = Array.isArray(metrics) ? metrics[0] : undefined;
  return isRecord(first) && typeof first['name'] === 'string' ? first['name'] : undefined;
}

/**
 * The kind of one decoded envelope, or `undefined` for our own SDK Stats items (never counted in
 * themselves). Pure; anything unreadable is `UNKNOWN`, never an error.
 */
export function classifyItem(item: unknown): ItemKind | undefined {
  const data = isRecord(item) ? item['data'] : undefined;
  if (!isRecord(data) || typeof data['baseType'] !== 'string') return { type: 'UNKNOWN' };
  const type = TYPE_OF_BASE_TYPE[data['baseType']] ?? 'UNKNOWN';
  const baseData = isRecord(data['baseData']) ? data['baseData'] : {};
  if (type === 'CUSTOM_METRIC') {
    const name = metricName(baseData);
    if (name !== undefined && SDK_STATS_METRIC_NAMES.has(name)) return undefined;
    return { type: name !== undefined && PERFORMANCE_COUNTER_NAME.test(name) ? 'PERFORMANCE_COUNTER' : 'CUSTOM_METRIC' };
  }
  if ((type === 'REQUEST' || type === 'DEPENDENCY') && typeof baseData['success'] === 'boolean') return { type, success: baseData['success'] };
  return { type };
}
