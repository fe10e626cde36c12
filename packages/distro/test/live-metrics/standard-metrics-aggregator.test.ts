import type { HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { createMappingContext, resourceMetricsToEnvelopes } from '@appinsights-otel/core';
import { createPrivateMetrics } from '../../src/live-metrics/create-private-metrics';
import type { ProcessStats } from '../../src/live-metrics/create-process-stats';
import { createStandardMetrics } from '../fixtures/create-standard-metrics.cjs';
import type { TappedItem, TappedItemKind } from '../../src/live-metrics/create-telemetry-tap';
import { registerPerformanceCounters } from '../../src/live-metrics/register-performance-counters';
import { createStandardMetricsAggregator } from '../../src/live-metrics/standard-metrics-aggregator';

const IKEY = '11111111-2222-4333-8444-555555555555';
const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' });
const T0: HrTime = [1_700_000_000, 0];
const T1: HrTime = [1_700_000_060, 0];

/** A tapped item with the defaults of a request from role shop/i-1. */
function item(kind: TappedItemKind, facts: Partial<Omit<TappedItem, 'kind' | 'envelope' | 'document'>> = {}): TappedItem {
  return {
    kind, durationMillis: 0, success: true, resultCode: '', dependencyType: '', dependencyTarget: '',
    roleName: 'shop', roleInstance: 'i-1', synthetic: false, severityLevel: 'Information',
    ...facts,
    envelope: () => undefined,
    document: () => undefined,
  };
}

const req = (resultCode: string, durationMillis: number, more: Partial<TappedItem> = {}): TappedItem => item('request', { resultCode, durationMillis, success: resultCode < '400', ...more });
const dep = (target: string, durationMillis: number, success = true): TappedItem => item('dependency', { dependencyType: 'SQL', dependencyTarget: target, resultCode: '0', durationMillis, success });

/** name, attributes and value of every point, in order. */
function points(metrics: MetricData[]): [string, Record<string, unknown>, unknown][] {
  return metrics.flatMap((m) => m.dataPoints.map((p): [string, Record<string, unknown>, unknown] => {
    const v = p.value as number | { count: number; sum: number; min: number; max: number };
    const value = typeof v === 'number' ? v : { count: v.count, sum: v.sum, min: v.min, max: v.max };
    return [m.descriptor.name, { ...p.attributes }, value];
  }));
}

const role = { 'cloud/roleName': 'shop', 'cloud/roleInstance': 'i-1', 'operation/synthetic': 'False' };
const H = 'azureMonitor.http.requestDuration';
const D = 'azureMonitor.http.dependencyDuration';

describe('createStandardMetricsAggregator', () => {
  it.each<[string, TappedItem[], [string, Record<string, unknown>, unknown][]]>([
    ['one series: count, sum, min, max', [req('200', 10), req('200', 30)],
      [[H, { ...role, 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 2, sum: 40, min: 10, max: 30 }]]],
    ['series in first-recorded order', [req('500', 5), req('200', 1), req('500', 7)], [
      [H, { ...role, 'request/resultCode': '500', 'Request.Success': 'False' }, { count: 2, sum: 12, min: 5, max: 7 }],
      [H, { ...role, 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 1, min: 1, max: 1 }]]],
    ['negative durations dropped (as the SDK histogram does), zero kept', [req('200', -1), req('200', 0)],
      [[H, { ...role, 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 0, min: 0, max: 0 }]]],
    ['dependencies by type, target, result code and success', [dep('db', 3), dep('db', 4, false), dep('cache', 2)], [
      [D, { ...role, 'Dependency.Type': 'SQL', 'dependency/target': 'db', 'dependency/resultCode': '0', 'Dependency.Success': 'True' }, { count: 1, sum: 3, min: 3, max: 3 }],
      [D, { ...role, 'Dependency.Type': 'SQL', 'dependency/target': 'db', 'dependency/resultCode': '0', 'Dependency.Success': 'False' }, { count: 1, sum: 4, min: 4, max: 4 }],
      [D, { ...role, 'Dependency.Type': 'SQL', 'dependency/target': 'cache', 'dependency/resultCode': '0', 'Dependency.Success': 'True' }, { count: 1, sum: 2, min: 2, max: 2 }]]],
    ['exceptions and traces counted; metrics in the order requests, dependencies, exceptions, traces', [
      item('trace', { severityLevel: 'Warning' }), item('exception'), item('exception', { synthetic: true }), req('200', 2), item('trace', { severityLevel: 'Warning' }),
    ], [
      [H, { ...role, 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 2, min: 2, max: 2 }],
      ['azureMonitor.exceptionCount', role, 1],
      ['azureMonitor.exceptionCount', { ...role, 'operation/synthetic': 'True' }, 1],
      ['azureMonitor.traceCount', { ...role, 'trace/severityLevel': 'Warning' }, 2]]],
    ['other items ignored', [item('other'), item('event' as TappedItemKind)], []],
    ['values holding the key separator never share a series', [req('200', 1, { roleName: 'a\u0000b', roleInstance: 'c' }), req('200', 2, { roleName: 'a', roleInstance: 'b\u0000c' })], [
      [H, { ...role, 'cloud/roleName': 'a\u0000b', 'cloud/roleInstance': 'c', 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 1, min: 1, max: 1 }],
      [H, { ...role, 'cloud/roleName': 'a', 'cloud/roleInstance': 'b\u0000c', 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 2, min: 2, max: 2 }]]],
    ['dependency types and targets holding the key separator never share a series', [
      item('dependency', { dependencyType: 'a\u0000b', dependencyTarget: 'c', resultCode: '0', durationMillis: 1 }),
      item('dependency', { dependencyType: 'a', dependencyTarget: 'b\u0000c', resultCode: '0', durationMillis: 2 }),
      item('dependency', { dependencyType: 'a', dependencyTarget: 'b', resultCode: '\u0000c', durationMillis: 3 }),
    ], [
      [D, { ...role, 'Dependency.Type': 'a\u0000b', 'dependency/target': 'c', 'dependency/resultCode': '0', 'Dependency.Success': 'True' }, { count: 1, sum: 1, min: 1, max: 1 }],
      [D, { ...role, 'Dependency.Type': 'a', 'dependency/target': 'b\u0000c', 'dependency/resultCode': '0', 'Dependency.Success': 'True' }, { count: 1, sum: 2, min: 2, max: 2 }],
      [D, { ...role, 'Dependency.Type': 'a', 'dependency/target': 'b', 'dependency/resultCode': '\u0000c', 'Dependency.Success': 'True' }, { count: 1, sum: 3, min: 3, max: 3 }]]],
    ['series of two roles, interleaved, in first-recorded order', [req('200', 1), req('200', 2, { roleInstance: 'i-2' }), req('200', 3)], [
      [H, { ...role, 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 2, sum: 4, min: 1, max: 3 }],
      [H, { ...role, 'cloud/roleInstance': 'i-2', 'request/resultCode': '200', 'Request.Success': 'True' }, { count: 1, sum: 2, min: 2, max: 2 }]]],
  ])('%s', (_name, items, expected) => {
    const aggregator = createStandardMetricsAggregator(T0);
    items.forEach(aggregator.record);
    expect(points(aggregator.collect(T1))).toEqual(expected);
  });

  it('reports delta points: the interval from the last collection, and only series recorded in it', () => {
    const aggregator = createStandardMetricsAggregator(T0);
    aggregator.record(req('200', 1));
    const first = aggregator.collect(T1);
    expect(first[0]).toMatchObject({ aggregationTemporality: AggregationTemporality.DELTA, dataPointType: DataPointType.HISTOGRAM });
    expect(first[0]?.dataPoints[0]).toMatchObject({ startTime: T0, endTime: T1 });
    expect(aggregator.collect([1_700_000_120, 0])).toEqual([]);
    aggregator.record(item('exception'));
    const third = aggregator.collect([1_700_000_180, 0]);
    expect(third[0]).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(third[0]?.dataPoints[0]).toMatchObject({ startTime: [1_700_000_120, 0], endTime: [1_700_000_180, 0], value: 1 });
  });

  it('keeps 1,999 series per metric and interval and puts the rest in the overflow series, as the SDK does', () => {
    const aggregator = createStandardMetricsAggregator(T0);
    for (let code = 0; code < 2_001; code++) aggregator.record(req(String(1_000 + code), 1));
    aggregator.record(req('1000', 1)); // an existing series still takes its own records
    const all = points(aggregator.collect(T1));
    expect(all).toHaveLength(2_000);
    expect(all[0]?.[2]).toEqual({ count: 2, sum: 2, min: 1, max: 1 });
    expect(all[1_999]).toEqual([H, { 'otel.metric.overflow': true }, { count: 2, sum: 2, min: 1, max: 1 }]);
  });
});

describe('standard metrics: the aggregator against the metrics SDK path it replaced', () => {
  const stats: ProcessStats = { sample: () => ({ processCpuPercent: 5, processCpuPercentOfOneCore: 10, machineCpuPercent: 7, privateBytes: 1_000, availableBytes: 9_000 }) };
  const ctx = createMappingContext({ instrumentationKey: IKEY });

  /** Both producers (standard metrics + performance counters, as useAzureMonitor() builds them), fed the same items over two intervals. */
  async function envelopesOfBoth(batches: TappedItem[][]): Promise<[string, string]> {
    const sdk = createPrivateMetrics(RESOURCE, '@appinsights-otel/distro');
    const sdkRecorders = [createStandardMetrics(sdk.meter), registerPerformanceCounters(sdk.meter, { now: () => 0, processStats: stats })];
    const aggregator = createStandardMetricsAggregator([Math.floor(Date.now() / 1_000), 0]);
    const ours = createPrivateMetrics(RESOURCE, '@appinsights-otel/distro', aggregator);
    const ourRecorders = [aggregator.record, registerPerformanceCounters(ours.meter, { now: () => 0, processStats: stats })];
    const out: [unknown[], unknown[]] = [[], []];
    for (const batch of batches) {
      for (const i of batch) {
        sdkRecorders.forEach((r) => r(i));
        ourRecorders.forEach((r) => r(i));
      }
      const [a, b] = await Promise.all([sdk.producer.collect(), ours.producer.collect()]);
      out[0].push(resourceMetricsToEnvelopes(a.resourceMetrics, ctx));
      out[1].push(resourceMetricsToEnvelopes(b.resourceMetrics, ctx));
      jest.setSystemTime(Date.now() + 60_000);
    }
    await Promise.all([sdk.shutdown(), ours.shutdown()]);
    return [JSON.stringify(out[0]), JSON.stringify(out[1])];
  }

  beforeEach(() => {
    // Date only: both paths stamp the collection time from Date.now()
    jest.useFakeTimers({ now: 1_765_000_000_123, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });
  afterEach(() => { jest.useRealTimers(); });

  it('exports byte-identical envelopes, interval after interval (delta), performance counters after standard metrics', async () => {
    const [sdk, ours] = await envelopesOfBoth([
      [req('200', 10.5), req('500', 3, { synthetic: true }), dep('db', 2), dep('db', 4, false), item('exception'), item('trace'), item('trace', { severityLevel: 'Error' }), req('200', 0.25), req('200', -3),
        req('200', 4, { roleInstance: 'i-2' }), dep('db', 5), item('exception', { roleName: 'other' })],
      [],
      [dep('cache', 1), item('other'), req('404', 7)],
    ]);
    expect(ours).toBe(sdk);
    expect(JSON.parse(ours).flat().length).toBeGreaterThan(8);
  });

  it('exports byte-identical envelopes past the cardinality limit (overflow series)', async () => {
    const many = Array.from({ length: 2_050 }, (_, n) => req(String(n), n % 7));
    const [sdk, ours] = await envelopesOfBoth([many, many.slice(0, 10)]);
    expect(ours).toBe(sdk);
  });
});
