import { diag, ValueType } from '@opentelemetry/api';
import { AggregationTemporality, AggregationType, DataPointType, InstrumentType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Envelope } from '../../../src/contracts/envelope';
import type { DataPoint } from '../../../src/contracts/metrics-data';
import { azureMonitorTemporalitySelector } from '../../../src/mapping/metric/azure-monitor-temporality-selector';
import { resourceMetricsToEnvelopeBatch, resourceMetricsToEnvelopes } from '../../../src/mapping/metric/resource-metrics-to-envelopes';
import { CTX, END_TIME, IKEY, RESOURCE, RESOURCE_TAGS, START_TIME } from '../fixtures/mapping-fixtures';

const END_ISO = '2023-11-14T22:13:21.234Z';
const descriptor = (name: string) => ({ name, description: '', unit: '1', valueType: ValueType.DOUBLE });
const point = <T>(value: T, attributes = {}) => ({ startTime: START_TIME, endTime: END_TIME, attributes, value });

function metricEnvelope(dataPoint: DataPoint, properties?: Record<string, string>, time = END_ISO): Envelope {
  return {
    ver: 1, name: 'Microsoft.ApplicationInsights.Metric', time, iKey: IKEY, tags: { ...RESOURCE_TAGS },
    data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [dataPoint], ...(properties ? { properties } : {}) } },
  };
}

const resourceMetrics = (metric: MetricData): ResourceMetrics => ({ resource: RESOURCE, scopeMetrics: [{ scope: { name: 'test' }, metrics: [metric] }] });

const CASES: [string, MetricData, Envelope[]][] = [
  ['counter (monotonic sum)', {
    descriptor: descriptor('requests'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.SUM, isMonotonic: true,
    dataPoints: [point(5, { route: '/a', ok: true }), point(2, { route: '/b', ok: false })],
  }, [
    metricEnvelope({ name: 'requests', kind: 'Measurement', value: 5 }, { route: '/a', ok: 'true' }),
    metricEnvelope({ name: 'requests', kind: 'Measurement', value: 2 }, { route: '/b', ok: 'false' }),
  ]],
  ['up-down counter (non-monotonic sum)', {
    descriptor: descriptor('queue.depth'), aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: false,
    dataPoints: [point(-3)],
  }, [metricEnvelope({ name: 'queue.depth', kind: 'Measurement', value: -3 })]],
  ['gauge / observable gauge', {
    descriptor: descriptor('cpu.temp'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.GAUGE,
    dataPoints: [point(61.5, { core: 0 })],
  }, [metricEnvelope({ name: 'cpu.temp', kind: 'Measurement', value: 61.5 }, { core: '0' })]],
  ['histogram', {
    descriptor: descriptor('latency'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM,
    dataPoints: [point({ buckets: { boundaries: [10], counts: [1, 2] }, sum: 42, count: 3, min: 4, max: 20 })],
  }, [metricEnvelope({ name: 'latency', kind: 'Aggregation', value: 42, count: 3, min: 4, max: 20 })]],
  ['histogram without sum, min or max', {
    descriptor: descriptor('sizes'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM,
    dataPoints: [point({ buckets: { boundaries: [], counts: [2] }, count: 2 })],
  }, [metricEnvelope({ name: 'sizes', kind: 'Aggregation', value: 0, count: 2 })]],
  ['exponential histogram', {
    descriptor: descriptor('payload'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
    dataPoints: [point({ count: 4, sum: 10, scale: 1, zeroCount: 0, positive: { offset: 0, bucketCounts: [4] }, negative: { offset: 0, bucketCounts: [] }, min: 1, max: 4 })],
  }, [metricEnvelope({ name: 'payload', kind: 'Aggregation', value: 10, count: 4, min: 1, max: 4 })]],
  ['exponential histogram with no samples (infinite min/max left out)', {
    descriptor: descriptor('empty'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
    dataPoints: [point({ count: 0, sum: 0, scale: 20, zeroCount: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, min: Infinity, max: -Infinity })],
  }, [metricEnvelope({ name: 'empty', kind: 'Aggregation', value: 0, count: 0 })]],
];

describe('resourceMetricsToEnvelopes', () => {
  it.each(CASES)('maps a %s', (_title, metric, expected) => {
    expect(resourceMetricsToEnvelopes(resourceMetrics(metric), CTX)).toEqual(expected);
  });

  it('skips non-finite values, counts them and warns once', () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const metric: MetricData = {
      descriptor: descriptor('bad'), aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.GAUGE,
      dataPoints: [point(NaN), point(Infinity), point(1)],
    };
    expect(resourceMetricsToEnvelopeBatch(resourceMetrics(metric), CTX)).toEqual({
      envelopes: [metricEnvelope({ name: 'bad', kind: 'Measurement', value: 1 })],
      skippedDataPoints: 2,
    });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('maps what a real MeterProvider collects from every instrument kind', async () => {
    class CollectingReader extends MetricReader {
      protected override async onForceFlush(): Promise<void> {}
      protected override async onShutdown(): Promise<void> {}
    }
    const reader = new CollectingReader({ aggregationTemporalitySelector: azureMonitorTemporalitySelector });
    const provider = new MeterProvider({
      resource: RESOURCE,
      readers: [reader],
      views: [{ instrumentName: 'eh', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const meter = provider.getMeter('test');
    meter.createCounter('c').add(3, { k: 'v' });
    meter.createUpDownCounter('udc').add(-2);
    meter.createGauge('g').record(7);
    meter.createObservableGauge('og').addCallback((result) => result.observe(9));
    meter.createHistogram('h').record(5);
    meter.createHistogram('eh').record(1);
    const { resourceMetrics: collected } = await reader.collect();
    const types = collected.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.dataPointType));
    // the SDK lists instruments matched by a view first
    expect(types).toEqual([DataPointType.EXPONENTIAL_HISTOGRAM, DataPointType.SUM, DataPointType.SUM, DataPointType.GAUGE, DataPointType.GAUGE, DataPointType.HISTOGRAM]);
    await provider.shutdown();
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown as string;
    expect(resourceMetricsToEnvelopes(collected, CTX)).toEqual([
      metricEnvelope({ name: 'eh', kind: 'Aggregation', value: 1, count: 1, min: 1, max: 1 }, undefined, time),
      metricEnvelope({ name: 'c', kind: 'Measurement', value: 3 }, { k: 'v' }, time),
      metricEnvelope({ name: 'udc', kind: 'Measurement', value: -2 }, undefined, time),
      metricEnvelope({ name: 'g', kind: 'Measurement', value: 7 }, undefined, time),
      metricEnvelope({ name: 'og', kind: 'Measurement', value: 9 }, undefined, time),
      metricEnvelope({ name: 'h', kind: 'Aggregation', value: 5, count: 1, min: 5, max: 5 }, undefined, time),
    ]);
  });
});

describe('azureMonitorTemporalitySelector', () => {
  it.each([
    [InstrumentType.COUNTER, AggregationTemporality.DELTA],
    [InstrumentType.OBSERVABLE_COUNTER, AggregationTemporality.DELTA],
    [InstrumentType.HISTOGRAM, AggregationTemporality.DELTA],
    [InstrumentType.GAUGE, AggregationTemporality.DELTA],
    [InstrumentType.OBSERVABLE_GAUGE, AggregationTemporality.DELTA],
    [InstrumentType.UP_DOWN_COUNTER, AggregationTemporality.CUMULATIVE],
    [InstrumentType.OBSERVABLE_UP_DOWN_COUNTER, AggregationTemporality.CUMULATIVE],
  ])('selects for %s: %s', (instrumentType, expected) => {
    expect(azureMonitorTemporalitySelector(instrumentType)).toBe(expected);
  });
});
