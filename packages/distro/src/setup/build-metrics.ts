import type { Resource } from '@opentelemetry/resources';
import {
  AggregationType, InstrumentType, MeterProvider, PeriodicExportingMetricReader, type AggregationOption, type IMetricReader, type MetricProducer,
  type PushMetricExporter, type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { HistogramAggregation } from '../config/setting-values';

/** What the meter provider is built from. */
export interface MetricsInput {
  readonly resource: Resource;
  /** The `views` setting. */
  readonly views: readonly ViewOptions[];
  /** The `metricReaders` setting: next to the Azure Monitor reader. */
  readonly metricReaders: readonly IMetricReader[];
  /** Absent when metrics are not exported. */
  readonly exporter: PushMetricExporter | undefined;
  /** The `metricExportIntervalMillis` setting. */
  readonly exportIntervalMillis: number;
  /** How histograms aggregate for the Azure Monitor reader (`OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION`). */
  readonly histogramAggregation: HistogramAggregation;
  /**
   * Metrics aggregated outside the SDK, for the Azure Monitor reader only, in the order they are
   * reported (after the SDK's): the instrumentations' own, then performance counters and standard
   * metrics.
   */
  readonly metricProducers: readonly MetricProducer[];
}

/** The meter provider: the user's readers and views, plus periodic export to Application Insights. */
export function buildMeterProvider(input: MetricsInput): MeterProvider {
  const { exporter, metricProducers } = input;
  return new MeterProvider({
    resource: input.resource,
    views: [...input.views],
    readers: [
      ...input.metricReaders,
      ...(exporter
        ? [new PeriodicExportingMetricReader({
          exporter: withHistogramAggregation(exporter, input.histogramAggregation),
          exportIntervalMillis: input.exportIntervalMillis,
          ...(metricProducers.length > 0 ? { metricProducers: [...metricProducers] } : {}),
        })]
        : []),
    ],
  });
}

/**
 * The exporter, choosing `aggregation` for histograms of the reader that exports to Application
 * Insights (the reader takes its aggregation from its exporter); the user's readers keep theirs.
 */
export function withHistogramAggregation(exporter: PushMetricExporter, aggregation: HistogramAggregation): PushMetricExporter {
  if (aggregation === 'explicit_bucket_histogram') return exporter;
  const histogram: AggregationOption = { type: AggregationType.EXPONENTIAL_HISTOGRAM };
  return {
    export: (metrics, resultCallback) => exporter.export(metrics, resultCallback),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregation: (instrumentType) =>
      instrumentType === InstrumentType.HISTOGRAM ? histogram : (exporter.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT }),
    ...(exporter.selectAggregationTemporality ? { selectAggregationTemporality: exporter.selectAggregationTemporality.bind(exporter) } : {}),
  };
}
