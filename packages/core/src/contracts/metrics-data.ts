/** `Measurement`: a single value; `Aggregation`: value is a sum over `count` samples with `min`/`max`. */
export type DataPointKind = 'Measurement' | 'Aggregation';

/** One metric value. */
export interface DataPoint {
  /** Metric namespace. Max 256. */
  ns?: string;
  /** Metric name. Max 1024. */
  name: string;
  kind?: DataPointKind;
  value: number;
  count?: number;
  min?: number;
  max?: number;
  stdDev?: number;
}

/** A metric item (`customMetrics` table; baseType `MetricData`). Only the first data point is stored. */
export interface MetricsData {
  /** Base data schema version, always 2. */
  ver: 2;
  metrics: DataPoint[];
  properties?: Record<string, string>;
}
