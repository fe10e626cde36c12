/** What the emulator's Live Metrics endpoint receives and serves (the spec's shapes, as the emulator reads them). */

/** One metric of a received data point. */
export interface LiveMetricPoint {
  readonly Name: string;
  readonly Value: number;
  readonly Weight: number;
}

/** A received data point (the fields the emulator reads; everything else is kept as sent). */
export interface LiveDataPoint {
  readonly Instance?: string;
  readonly MachineName?: string;
  readonly RoleName?: string;
  readonly StreamId?: string;
  readonly Timestamp?: string;
  readonly Metrics?: readonly LiveMetricPoint[];
  readonly Documents?: readonly Record<string, unknown>[];
  readonly [field: string]: unknown;
}

/** A filter of a derived metric or document stream (the spec's `FilterInfo`). */
export interface LiveFilterInfo {
  readonly FieldName: string;
  readonly Predicate: string;
  readonly Comparand: string;
}

/** The filter configuration the service hands the SDK (the spec's `CollectionConfigurationInfo`). */
export interface LiveCollectionConfiguration {
  /** Changes with every configuration; computed from the content when left out. */
  readonly ETag?: string;
  readonly Metrics: readonly {
    readonly Id: string;
    readonly TelemetryType: string;
    readonly FilterGroups: readonly { readonly Filters: readonly LiveFilterInfo[] }[];
    readonly Projection: string;
    readonly Aggregation: string;
    readonly BackEndAggregation: string;
  }[];
  readonly DocumentStreams: readonly {
    readonly Id: string;
    readonly DocumentFilterGroups: readonly { readonly TelemetryType: string; readonly Filters: { readonly Filters: readonly LiveFilterInfo[] } }[];
  }[];
  readonly QuotaInfo?: { readonly InitialQuota?: number; readonly MaxQuota: number; readonly QuotaAccrualRatePerSec: number } | null;
}

/** One ping or post the emulator received. */
export interface LiveMetricsRecord {
  /** Arrival, epoch ms. */
  readonly timestamp: number;
  readonly operation: 'ping' | 'post';
  /** The `ikey` query parameter. */
  readonly instrumentationKey: string;
  /** What the emulator answered. */
  readonly status: number;
  /** The `x-ms-qps-subscribed` value answered (on 200). */
  readonly subscribed: boolean;
  /** Object id of the token's identity, when a valid token was sent. */
  readonly objectId?: string;
  readonly streamId?: string;
  /** `x-ms-qps-transmission-time` as sent. */
  readonly transmissionTime?: string;
  /** `x-ms-qps-configuration-etag` as sent (the configuration the SDK says it applies). */
  readonly configurationEtag?: string;
  /** Why the body was refused (400): each names the JSON path and the fix. */
  readonly problems?: readonly string[];
  /** The body's data points (one for a ping; the array of a post). */
  readonly dataPoints: readonly LiveDataPoint[];
}
