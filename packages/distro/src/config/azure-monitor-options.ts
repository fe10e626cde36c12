import type { TokenCredential } from '@azure/core-auth';
import type { BeforeExportHook, RequestNameSource, SuccessOverride } from '@appinsights-otel/core';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader, ViewOptions } from '@opentelemetry/sdk-metrics';
import type { InstrumentationOptions } from '../instrumentations/default-instrumentations';
import type { RequestFilterOptions } from '../request-filter/request-filter-options';

export type { BeforeExportHook, RequestNameSource, SuccessOverride };

export type { InstrumentationOptions };
export type { FastifyInstrumentationOptions, InstrumentationSwitch } from '../instrumentations/instrumentation-switch';

/** Options of {@link useAzureMonitor}. Every field is optional. */
export interface AzureMonitorOptions {
  /**
   * Application Insights connection string. Default: `APPLICATIONINSIGHTS_CONNECTION_STRING`, then
   * the configuration file's `connectionString`.
   */
  connectionString?: string;
  /**
   * Microsoft Entra ID credential (e.g. `new ManagedIdentityCredential()`). Default: the managed
   * identity named by `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`, then the configuration file's
   * `authentication` block, else none (instrumentation-key ingestion, which Entra-only resources reject).
   */
  credential?: TokenCredential;
  /** Fraction of traces to keep, 0..1 (Application Insights-compatible sampling). Default 1. */
  samplingRatio?: number;
  /** Rate-limited sampling: keep at most about this many traces per second. Overrides `samplingRatio`. */
  tracesPerSecond?: number;
  /** Which instrumentations are on (all but `console` by default, each only if its package is installed). */
  instrumentationOptions?: InstrumentationOptions;
  /** Resource merged over the detected one (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, host, process). */
  resource?: Resource;
  /** Directory for the offline queue. Default `<os.tmpdir()>/appinsights-otel/<hash>`. */
  storageDirectory?: string;
  /** Never touch the file system; queue in bounded memory instead. Default false. */
  disableOfflineStorage?: boolean;
  /** Extra span processors, run before the Azure Monitor one (e.g. to add attributes). */
  spanProcessors?: SpanProcessor[];
  /** Extra log record processors, run before the Azure Monitor one. */
  logRecordProcessors?: LogRecordProcessor[];
  /** Inspect, change or drop (return `false`) each envelope before it is sent. */
  beforeExport?: BeforeExportHook;
  /** Metric export interval in milliseconds. Default `OTEL_METRIC_EXPORT_INTERVAL`, else 60 000. */
  metricExportIntervalMillis?: number;
  /** Entra ID audience/scope for ingestion tokens. Default: from the connection string / cloud. */
  audience?: string;
  /** More metric readers for the MeterProvider (e.g. a Prometheus exporter), next to the Azure Monitor one. */
  metricReaders?: IMetricReader[];
  /** Metric views for the MeterProvider (rename, drop, change aggregation or attributes). */
  views?: ViewOptions[];
  /** Decide `success` of requests and dependencies yourself: `(span, computedSuccess) => boolean`. */
  successOverride?: SuccessOverride;
  /**
   * Name of HTTP requests without `http.route`: `'path'` (default, `GET /orders/17`) or `'spanName'`
   * (low cardinality). Passed to the trace exporter.
   */
  requestNameSource?: RequestNameSource;
  /**
   * Requests to leave out of Application Insights with everything produced inside them (their
   * dependencies, logs, exceptions): by route, path prefix, method, user agent, health probes
   * (`healthProbes: true`) or a predicate. See docs/configuration.md, "Filtering requests".
   */
  filterRequests?: RequestFilterOptions;
  /** Write each batch to the offline store before its first send (kill -9 safe; one write per request). Default false. */
  persistBeforeSend?: boolean;
  /** Do not export traces to Application Insights (the tracer provider still runs). Default `OTEL_TRACES_EXPORTER=none`, else false. */
  disableTraceExport?: boolean;
  /** Do not export metrics to Application Insights. Default `OTEL_METRICS_EXPORTER=none`, else false. */
  disableMetricExport?: boolean;
  /** Do not export logs to Application Insights. Default `OTEL_LOGS_EXPORTER=none`, else false. */
  disableLogExport?: boolean;
  /**
   * Drop log records emitted inside a trace the sampler dropped, and give kept ones the trace's
   * `sampleRate`. Default true.
   */
  traceBasedLogSampling?: boolean;
  /** Live Metrics (see docs/live-metrics.md). Default true, unless `APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED=false`. */
  enableLiveMetrics?: boolean;
  /** Performance counters (CPU, memory, request and exception rates). Default true, unless `APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED=false`. */
  enablePerformanceCounters?: boolean;
  /** Standard metrics (`requests/duration`, ...; exact under sampling). Default true, unless `APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED=false` (or the official distro's `APPLICATION_INSIGHTS_NO_STANDARD_METRICS`). */
  enableStandardMetrics?: boolean;
  /**
   * Delivery statistics: Microsoft's SDK Stats (`Item_Success_Count`, `Item_Dropped_Count`,
   * `Item_Retry_Count` in `customMetrics`), sent to your own resource with the same credential (see
   * docs/sdk-stats.md). Default false, unless `APPLICATIONINSIGHTS_DELIVERY_STATS_ENABLED=true` (or the
   * official SDKs' `APPLICATIONINSIGHTS_SDKSTATS_ENABLED_PREVIEW=true` / `APPLICATIONINSIGHTS_SDKSTATS_DISABLED=false`).
   */
  enableDeliveryStats?: boolean;
  /** Interval between two SDK Stats exports. Default 900 000 (15 minutes), or `APPLICATIONINSIGHTS_SDKSTATS_EXPORT_INTERVAL` (seconds). */
  deliveryStatsIntervalMillis?: number;
}
