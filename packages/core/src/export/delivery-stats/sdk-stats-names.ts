/**
 * Names of Microsoft's SDK Stats as the SDK Stats workbook reads them (Azure Monitor docs, "SDK stats
 * for Application Insights", GA names; the Java and .NET exporters send the same): three custom
 * metrics, one row per interval and dimension set, in `customMetrics`.
 */
export const SDK_STATS_METRIC = Object.freeze({
  success: 'Item_Success_Count',
  dropped: 'Item_Dropped_Count',
  retry: 'Item_Retry_Count',
} as const);

/** Which of the three metrics a count belongs to. */
export type SdkStatsMetric = keyof typeof SDK_STATS_METRIC;

/** The metric names, to recognise our own items (they are never counted in themselves). */
export const SDK_STATS_METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(SDK_STATS_METRIC));

/** `telemetry_type` values (the workbook's filter), one per Application Insights table. */
export type SdkStatsTelemetryType =
  | 'REQUEST' | 'DEPENDENCY' | 'EXCEPTION' | 'TRACE' | 'CUSTOM_EVENT' | 'CUSTOM_METRIC'
  | 'PERFORMANCE_COUNTER' | 'AVAILABILITY' | 'PAGE_VIEW' | 'UNKNOWN';

/** The default interval between two SDK Stats exports (the official SDKs': 15 minutes). */
export const DEFAULT_SDK_STATS_INTERVAL_MILLIS = 15 * 60_000;
