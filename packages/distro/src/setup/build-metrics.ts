import type { Resource } from '@opentelemetry/resources';
import {
  MeterProvider, PeriodicExportingMetricReader, type IMetricReader, type MetricProducer, type PushMetricExporter, type ViewOptions,
} from '@opentelemetry/sdk-metrics';

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
  /** Performance counters and standard metrics, for the Azure Monitor reader only. */
  readonly metricProducer: MetricProducer | undefined;
}

/** The meter provider: the user's readers and views, plus periodic export to Application Insights. */
export function buildMeterProvider(input: MetricsInput): MeterProvider {
  const { exporter, metricProducer } = input;
  return new MeterProvider({
    resource: input.resource,
    views: [...input.views],
    readers: [
      ...input.metricReaders,
      ...(exporter
        ? [new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: input.exportIntervalMillis,
          ...(metricProducer ? { metricProducers: [metricProducer] } : {}),
        })]
        : []),
    ],
  });
}
