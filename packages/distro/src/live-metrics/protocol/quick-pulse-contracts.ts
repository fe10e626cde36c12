/**
 * Wire types of the Live Metrics (QuickPulse) service, as this project speaks it: the
 * `2024-04-01-preview` data-plane API (`POST {LiveEndpoint}/QuickPulseService.svc/ping` and `/post`,
 * `?ikey=...&api-version=2024-04-01-preview`), with the `x-ms-qps-*` headers the service and the
 * official SDKs use. Types only, no logic. See docs/live-metrics.md.
 */

/** The API version sent as `api-version`. */
export const QUICK_PULSE_API_VERSION = '2024-04-01-preview';
/** Invariant version of the data point schema, sent in the body and `x-ms-qps-invariant-version`. */
export const QUICK_PULSE_INVARIANT_VERSION = 5;
/** Default Live Metrics endpoint when the connection string has no `LiveEndpoint` (the spec's and the official client's). */
export const DEFAULT_LIVE_ENDPOINT = 'https://global.livediagnostics.monitor.azure.com';

/** Request and response headers of the protocol (lower-case). */
export const QUICK_PULSE_HEADERS = Object.freeze({
  /** Request: transmission time in .NET ticks (100 ns since 0001-01-01). */
  transmissionTime: 'x-ms-qps-transmission-time',
  machineName: 'x-ms-qps-machine-name',
  instanceName: 'x-ms-qps-instance-name',
  streamId: 'x-ms-qps-stream-id',
  roleName: 'x-ms-qps-role-name',
  invariantVersion: 'x-ms-qps-invariant-version',
  configurationEtag: 'x-ms-qps-configuration-etag',
  /** Response: `true` while someone watches the Live Metrics page. */
  subscribed: 'x-ms-qps-subscribed',
  /** Response: how often to ping while nobody watches, in milliseconds. */
  pollingIntervalHint: 'x-ms-qps-service-polling-interval-hint',
  /** Response: the endpoint to use from now on (a full URL). */
  endpointRedirect: 'x-ms-qps-service-endpoint-redirect-v2',
});

/** Names of the metrics the Live Metrics page charts. */
export const LIVE_METRIC_NAMES = Object.freeze({
  requestsPerSecond: '\\ApplicationInsights\\Requests/Sec',
  requestsFailedPerSecond: '\\ApplicationInsights\\Requests Failed/Sec',
  requestDuration: '\\ApplicationInsights\\Request Duration',
  dependencyCallsPerSecond: '\\ApplicationInsights\\Dependency Calls/Sec',
  dependencyCallsFailedPerSecond: '\\ApplicationInsights\\Dependency Calls Failed/Sec',
  dependencyCallDuration: '\\ApplicationInsights\\Dependency Call Duration',
  exceptionsPerSecond: '\\ApplicationInsights\\Exceptions/Sec',
  committedBytes: '\\Memory\\Committed Bytes',
  processorTime: '\\Processor(_Total)\\% Processor Time',
  /** The newer name of the process's resident set (the official client posts both names, same value). */
  physicalBytes: '\\Process\\Physical Bytes',
  /** The newer name of the process's CPU, % of all cores (the official client posts both names, same value). */
  processorTimeNormalized: '\\% Process\\Processor Time Normalized',
});

/** One metric value of a data point. */
export interface MetricPoint {
  readonly Name: string;
  readonly Value: number;
  /** How many samples `Value` aggregates (1 for rates and gauges). */
  readonly Weight: number;
}

/** A key/value property of a sample document. */
export interface KeyValuePair {
  readonly key: string;
  readonly value: string;
}

/** Kinds of sample documents the portal shows. */
type DocumentType = 'Request' | 'RemoteDependency' | 'Exception' | 'Event' | 'Trace';

/** A sample document (one telemetry item shown in the Live Metrics sample feed). */
export interface DocumentIngress {
  readonly DocumentType: DocumentType;
  readonly DocumentStreamIds?: readonly string[];
  readonly Properties?: readonly KeyValuePair[];
  /** Request / dependency name. */
  readonly Name?: string;
  /** Request URL. */
  readonly Url?: string;
  /** Request response code, or dependency result code. */
  readonly ResponseCode?: string;
  readonly ResultCode?: string;
  /** Duration, ISO 8601 (`PT0.035S`), as the spec and the official client write it. */
  readonly Duration?: string;
  /** Dependency command (SQL text, URL). */
  readonly CommandName?: string;
  /** Exception type and message. */
  readonly ExceptionType?: string;
  readonly ExceptionMessage?: string;
  /** Trace message. */
  readonly Message?: string;
}

/** One filter (the spec's `FilterInfo`): `FieldName Predicate Comparand`. */
export interface FilterInfo {
  readonly FieldName: string;
  /** `Equal`, `NotEqual`, `LessThan`, `GreaterThan`, `LessThanOrEqual`, `GreaterThanOrEqual`, `Contains`, `DoesNotContain`. */
  readonly Predicate: string;
  readonly Comparand: string;
}

/** Filters AND-ed (the spec's `FilterConjunctionGroupInfo`). */
interface FilterConjunctionGroupInfo {
  readonly Filters: readonly FilterInfo[];
}

/** A chart the portal wants computed in the SDK (the spec's `DerivedMetricInfo`). */
export interface DerivedMetricInfo {
  readonly Id: string;
  /** The spec's `TelemetryType`: Request, Dependency, Exception, Event, Metric, PerformanceCounter or Trace. */
  readonly TelemetryType: string;
  /** OR-ed. */
  readonly FilterGroups: readonly FilterConjunctionGroupInfo[];
  /** `Count()`, `Duration` or `CustomDimensions.<key>`. */
  readonly Projection: string;
  /** `Sum`, `Avg`, `Min` or `Max`. */
  readonly Aggregation: string;
  readonly BackEndAggregation: string;
}

/** A feed of sample documents the portal wants (the spec's `DocumentStreamInfo`). */
export interface DocumentStreamInfo {
  readonly Id: string;
  /** OR-ed; each applies to one telemetry type. */
  readonly DocumentFilterGroups: readonly { readonly TelemetryType: string; readonly Filters: FilterConjunctionGroupInfo }[];
}

/** The filter configuration a ping or post answer carries (the spec's `CollectionConfigurationInfo`). */
export interface CollectionConfigurationInfo {
  readonly ETag: string;
  readonly Metrics: readonly DerivedMetricInfo[];
  readonly DocumentStreams: readonly DocumentStreamInfo[];
}

/** The spec's `CollectionConfigurationErrorType`. */
export type CollectionConfigurationErrorType =
  | 'Unknown' | 'PerformanceCounterParsing' | 'PerformanceCounterUnexpected' | 'PerformanceCounterDuplicateIds'
  | 'DocumentStreamDuplicateIds' | 'DocumentStreamFailureToCreate' | 'DocumentStreamFailureToCreateFilterUnexpected'
  | 'MetricDuplicateIds' | 'MetricTelemetryTypeUnsupported' | 'MetricFailureToCreate' | 'MetricFailureToCreateFilterUnexpected'
  | 'FilterFailureToCreateUnexpected' | 'CollectionConfigurationFailureToCreateUnexpected';

/** Why a part of the filter configuration is not applied (posted back to the portal). */
export interface CollectionConfigurationError {
  readonly CollectionConfigurationErrorType: CollectionConfigurationErrorType;
  readonly Message: string;
  readonly FullException: string;
  /** `MetricId` or `DocumentStreamInfoId`, and `ETag`. */
  readonly Data: readonly KeyValuePair[];
}

/** The body of a ping (one) and of a post (an array of one). */
export interface MonitoringDataPoint {
  readonly Version: string;
  readonly InvariantVersion: number;
  readonly Instance: string;
  readonly RoleName: string;
  readonly MachineName: string;
  readonly StreamId: string;
  /** ISO-8601 UTC. */
  readonly Timestamp: string;
  readonly IsWebApp: boolean;
  readonly PerformanceCollectionSupported: boolean;
  readonly Metrics?: readonly MetricPoint[];
  readonly Documents?: readonly DocumentIngress[];
  /** Posts: the parts of the filter configuration not applied, and why. */
  readonly CollectionConfigurationErrors?: readonly CollectionConfigurationError[];
}
