import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { metricNameToWire, PERFORMANCE_COUNTER_NAMES, STANDARD_METRIC_IDS } from '../../../src/mapping/metric/metric-names';
import { resourceMetricsToEnvelopes } from '../../../src/mapping/metric/resource-metrics-to-envelopes';
import { CTX, END_TIME, IKEY, RESOURCE, RESOURCE_TAGS, START_TIME } from '../fixtures/mapping-fixtures';

const END_ISO = '2023-11-14T22:13:21.234Z';

function gauge(name: string, value: number, attributes = {}): ResourceMetrics {
  const metric: MetricData = {
    descriptor: { name, description: '', unit: '', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.GAUGE,
    dataPoints: [{ startTime: START_TIME, endTime: END_TIME, attributes, value }],
  };
  return { resource: RESOURCE, scopeMetrics: [{ scope: { name: 'test' }, metrics: [metric] }] };
}

function histogram(name: string, attributes: Record<string, string>): ResourceMetrics {
  const metric: MetricData = {
    descriptor: { name, description: '', unit: 'ms', valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM,
    dataPoints: [{ startTime: START_TIME, endTime: END_TIME, attributes, value: { buckets: { boundaries: [], counts: [3] }, sum: 30, count: 3, min: 5, max: 15 } }],
  };
  return { resource: RESOURCE, scopeMetrics: [{ scope: { name: 'test' }, metrics: [metric] }] };
}

describe('metric names the distro emits', () => {
  it.each([
    ['Processor_Time', '\\Processor(_Total)\\% Processor Time'],
    ['Process_Time', '\\Process(??APP_WIN32_PROC??)\\% Processor Time'],
    ['Process_Time_Normalized', '\\Process(??APP_WIN32_PROC??)\\% Processor Time Normalized'],
    ['Private_Bytes', '\\Process(??APP_WIN32_PROC??)\\Private Bytes'],
    ['Available_Bytes', '\\Memory\\Available Bytes'],
    ['Request_Rate', '\\ASP.NET Applications(??APP_W3SVC_PROC??)\\Requests/Sec'],
    ['Request_Execution_Time', '\\ASP.NET Applications(??APP_W3SVC_PROC??)\\Request Execution Time'],
    ['Exception_Rate', '\\.NET CLR Exceptions(??APP_CLR_PROC??)\\# of Exceps Thrown / sec'],
  ])('maps the performance counter %s to the portal name %s', (otelName, portalName) => {
    expect(resourceMetricsToEnvelopes(gauge(otelName, 12.5), CTX)).toEqual([{
      ver: 1, name: 'Microsoft.ApplicationInsights.Metric', time: END_ISO, iKey: IKEY, tags: { ...RESOURCE_TAGS },
      data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [{ name: portalName, kind: 'Measurement', value: 12.5 }] } },
    }]);
  });

  it.each(Object.entries(STANDARD_METRIC_IDS))('maps the standard metric %s to %s with _MS.MetricId and its dimensions', (otelName, metricId) => {
    const dims = { 'request/resultCode': '200', 'request/success': 'True', 'cloud/roleName': 'svc', 'operation/synthetic': 'False' };
    expect(resourceMetricsToEnvelopes(histogram(otelName, dims), CTX)).toEqual([{
      ver: 1, name: 'Microsoft.ApplicationInsights.Metric', time: END_ISO, iKey: IKEY, tags: { ...RESOURCE_TAGS },
      data: {
        baseType: 'MetricData',
        baseData: {
          ver: 2,
          metrics: [{ name: metricId, kind: 'Aggregation', value: 30, count: 3, min: 5, max: 15 }],
          properties: { ...dims, '_MS.MetricId': metricId, '_MS.IsAutocollected': 'True' },
        },
      },
    }]);
  });

  it('leaves every other name alone', () => {
    expect(metricNameToWire('http.server.duration')).toEqual({ name: 'http.server.duration', properties: {} });
    expect(Object.keys(PERFORMANCE_COUNTER_NAMES)).toHaveLength(8);
  });
});
