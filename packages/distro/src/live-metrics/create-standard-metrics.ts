import type { Attributes, Meter } from '@opentelemetry/api';
import { CONTEXT_TAG, STANDARD_METRIC_IDS, type Envelope } from '@appinsights-otel/core';
import type { TappedItem } from './create-telemetry-tap';

const otelNameOf = (metricId: string): string => {
  const entry = Object.entries(STANDARD_METRIC_IDS).find(([, id]) => id === metricId);
  if (!entry) throw new Error(`no standard metric ${metricId}`);
  return entry[0];
};

const bool = (value: boolean): string => (value ? 'True' : 'False');

function commonDimensions(envelope: Envelope): Attributes {
  const tags = envelope.tags;
  return {
    'cloud/roleName': tags[CONTEXT_TAG.CLOUD_ROLE] ?? '',
    'cloud/roleInstance': tags[CONTEXT_TAG.CLOUD_ROLE_INSTANCE] ?? '',
    'operation/synthetic': bool(tags[CONTEXT_TAG.OPERATION_SYNTHETIC_SOURCE] !== undefined),
  };
}

/** Feeds standard metrics from tapped items. */
export type StandardMetricsRecorder = (item: TappedItem) => void;

/**
 * Creates the standard metrics (pre-aggregated, exact under sampling because every span is seen
 * before sampling drops it): `requests/duration` and `dependencies/duration` histograms (ms) and
 * `exceptions/count` and `traces/count` counters, with the dimensions the portal's charts group by.
 * Core's metric mapper turns their OTel names (`azureMonitor.*`) into the metric ids and adds
 * `_MS.MetricId` and `_MS.IsAutocollected`.
 */
export function createStandardMetrics(meter: Meter): StandardMetricsRecorder {
  const requestDuration = meter.createHistogram(otelNameOf('requests/duration'), { unit: 'ms', description: 'Server response time' });
  const dependencyDuration = meter.createHistogram(otelNameOf('dependencies/duration'), { unit: 'ms', description: 'Dependency call duration' });
  const exceptionCount = meter.createCounter(otelNameOf('exceptions/count'), { description: 'Exceptions' });
  const traceCount = meter.createCounter(otelNameOf('traces/count'), { description: 'Traces' });
  return ({ envelope, durationMillis }) => {
    const { data } = envelope;
    switch (data.baseType) {
      case 'RequestData':
        requestDuration.record(durationMillis, {
          ...commonDimensions(envelope), 'request/resultCode': data.baseData.responseCode, 'request/success': bool(data.baseData.success),
        });
        break;
      case 'RemoteDependencyData':
        dependencyDuration.record(durationMillis, {
          ...commonDimensions(envelope), 'dependency/type': data.baseData.type, 'dependency/target': data.baseData.target ?? '',
          'dependency/resultCode': data.baseData.resultCode, 'dependency/success': bool(data.baseData.success),
        });
        break;
      case 'ExceptionData':
        exceptionCount.add(1, commonDimensions(envelope));
        break;
      case 'MessageData':
        traceCount.add(1, { ...commonDimensions(envelope), 'trace/severityLevel': String(data.baseData.severityLevel ?? 'Information') });
        break;
      default:
        break;
    }
  };
}
