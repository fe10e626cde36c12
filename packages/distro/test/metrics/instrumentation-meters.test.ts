import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { azureMonitorTemporalitySelector, createMappingContext, resourceMetricsToEnvelopes } from '@appinsights-otel/core';
import type { HistogramAggregation } from '../../src/config/setting-values';
import { createInstrumentationMeters } from '../../src/metrics/instrumentation-meters';
import { buildMeterProvider } from '../../src/setup/build-metrics';

const IKEY = '11111111-2222-4333-8444-555555555555';
const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' });
const ctx = createMappingContext({ instrumentationKey: IKEY });
const START = 1_765_000_000_123;

type MeterOf = (name: string, version?: string) => Meter;
/** Creates instruments from `meterOf`; returns what to record in each interval (a collection follows each). */
type Script = (meterOf: MeterOf) => (() => void)[];

/**
 * The envelopes the Application Insights reader exports, interval by interval, with the
 * instruments on the SDK's meters (`ours` false) or on {@link createInstrumentationMeters}'.
 */
async function envelopesOf(script: Script, ours: boolean, histogramAggregation: HistogramAggregation = 'explicit_bucket_histogram'): Promise<string> {
  jest.setSystemTime(START);
  const exported: unknown[] = [];
  const exporter: PushMetricExporter = {
    export: (metrics, done) => { exported.push(resourceMetricsToEnvelopes(metrics, ctx)); done({ code: 0 }); },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    selectAggregationTemporality: azureMonitorTemporalitySelector,
  };
  const own = ours ? createInstrumentationMeters(() => provider, RESOURCE) : undefined;
  const provider = buildMeterProvider({
    resource: RESOURCE, views: [], metricReaders: [], exporter, exportIntervalMillis: 3_600_000, histogramAggregation, metricProducers: own ? [own.producer] : [],
  });
  const meterOf: MeterOf = (name, version) => (own ? own.meterProvider : provider).getMeter(name, version);
  for (const interval of script(meterOf)) {
    interval();
    await provider.forceFlush();
    jest.setSystemTime(Date.now() + 60_000);
  }
  await provider.shutdown();
  return JSON.stringify(exported);
}

const POOL = '127.0.0.1:5432/postgres';
/** The bench app's request as instrumentation-http 0.223, -undici 0.33 and -pg 0.76 record it (stable semconv). */
const benchApp: Script = (meterOf) => {
  const http = meterOf('@opentelemetry/instrumentation-http', '0.223.0');
  const pg = meterOf('@opentelemetry/instrumentation-pg', '0.76.0');
  const undici = meterOf('@opentelemetry/instrumentation-undici', '0.33.0');
  const seconds = { unit: 's', valueType: ValueType.DOUBLE, advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 1] } };
  const server = http.createHistogram('http.server.request.duration', { ...seconds, description: 'Duration of HTTP server requests.' });
  const client = http.createHistogram('http.client.request.duration', { ...seconds, description: 'Duration of HTTP client requests.' });
  const operation = pg.createHistogram('db.client.operation.duration', { ...seconds, description: 'Duration of database client operations.' });
  const connections = pg.createUpDownCounter('db.client.connection.count', { unit: '{connection}' });
  const pending = pg.createUpDownCounter('db.client.connection.pending_requests', { unit: '{connection}' });
  const max = pg.createUpDownCounter('db.client.connection.max', { unit: '{connection}' });
  const fetch = undici.createHistogram('http.client.request.duration', { ...seconds, description: 'Measures the duration of outbound HTTP requests.' });
  let latest = { used: 0, idle: 0, pending: 0 };
  const update = (used: number, idle: number, waiting: number): void => {
    connections.add(used - latest.used, { 'db.client.connection.state': 'used', 'db.client.connection.pool.name': POOL });
    connections.add(idle - latest.idle, { 'db.client.connection.state': 'idle', 'db.client.connection.pool.name': POOL });
    pending.add(waiting - latest.pending, { 'db.client.connection.pool.name': POOL });
    latest = { used, idle, pending: waiting };
  };
  const request = (n: number): void => {
    update(1 + (n % 3), 1, n % 2);
    operation.record(0.0012 + n * 1e-4, { 'db.namespace': 'postgres', 'server.port': 5432, 'server.address': '127.0.0.1', 'db.operation.name': n % 4 ? 'SELECT' : 'INSERT', 'db.system.name': 'postgresql' });
    update(0, 2, 0);
    fetch.record(0.0008 + n * 1e-5, { 'http.response.status_code': 200, 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': 40123, 'url.scheme': 'http', 'network.protocol.version': '1.1' });
    client.record(0.0006 + n * 1e-5, { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': 40123, 'network.protocol.version': '1.1', 'http.response.status_code': n % 5 ? 200 : 404, ...(n % 5 ? {} : { 'error.type': '404' }) });
    server.record(0.0085 + n * 1e-3, { 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1', 'http.route': '/orders/:id', 'http.response.status_code': n % 7 ? 200 : 500 });
  };
  max.add(10, { 'db.client.connection.pool.name': POOL });
  const requests = (from: number, to: number) => (): void => { for (let n = from; n < to; n++) request(n); };
  return [requests(0, 40), () => undefined, requests(40, 45), () => max.add(-10, { 'db.client.connection.pool.name': POOL })];
};

/** One histogram and one up-down counter fed `sets` in turn, in two intervals. */
const attributeSets = (sets: (Attributes | undefined)[]): Script => (meterOf) => {
  const meter = meterOf('m');
  const histogram = meter.createHistogram('h');
  const upDown = meter.createUpDownCounter('u');
  const record = (): void => sets.forEach((a, i) => { histogram.record(i + 0.5, a); upDown.add(i - 1, a); });
  return [record, record];
};

describe('instrumentation metrics: createInstrumentationMeters against the metrics SDK', () => {
  beforeEach(() => {
    // Date only: both paths stamp the collection time from Date.now()
    jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });
  afterEach(() => { jest.useRealTimers(); });

  it.each<[string, Script]>([
    ["the bench app's requests (http, undici, pg; an empty interval; a pool closed)", benchApp],
    ['attribute sets the SDK counts as one series: another key order, undefined or null or NaN, 0 and -0', attributeSets([
      { a: 'x', b: 1 }, { b: 1, a: 'x' }, { a: undefined }, { a: null as unknown as string }, { a: Number.NaN }, { a: 0 }, { a: -0 }, {}, undefined,
    ])],
    ['attribute sets it keeps apart: strings and numbers, arrays, absent and undefined, booleans', attributeSets([
      { a: '1' }, { a: 1 }, { a: ['x', 'y'] }, { a: ['x,y'] }, { a: [1, 2] }, {}, { a: undefined }, { a: true }, { a: 'true' }, { 'a:b': 'c' }, { a: 'b:c' },
    ])],
    ['values: negative, NaN, infinite, a string, integer instruments truncating', (meterOf) => {
      const meter = meterOf('m');
      const h = meter.createHistogram('h');
      const c = meter.createCounter('c');
      const hi = meter.createHistogram('hi', { valueType: ValueType.INT });
      const u = meter.createUpDownCounter('u', { valueType: ValueType.INT });
      return [() => {
        for (const v of [2, -1, Number.NaN, Infinity, 0, '3' as unknown as number, 1.7, -2.5]) {
          h.record(v, { k: 'h' }); c.add(v, { k: 'c' }); hi.record(v, { k: 'hi' }); u.add(v, { k: 'u' });
        }
        h.record(Number.NaN, { k: 'only NaN' });
      }];
    }],
    ['instruments of one name share series; another case, unit or kind does not; meters by name and version', (meterOf) => {
      const a = meterOf('m', '1');
      const again = meterOf('m', '1');
      const other = meterOf('m', '2');
      const [h1, h2, h3, h4] = [a.createHistogram('d', { unit: 's' }), again.createHistogram('d', { unit: 's', description: 'x' }), a.createHistogram('d', { unit: 'ms' }), other.createHistogram('d', { unit: 's' })];
      const [c, upper] = [a.createCounter('d', { unit: 's' }), a.createHistogram('D', { unit: 's' })];
      return [() => { h1.record(1); h2.record(2); h3.record(3); h4.record(4); c.add(5); upper.record(7); }, () => h2.record(6)];
    }],
    ['gauges and observable instruments stay on the SDK', (meterOf) => {
      const meter = meterOf('m');
      const gauge = meter.createGauge('g');
      meter.createObservableGauge('og').addCallback((r) => r.observe(3, { k: 'v' }));
      meter.createObservableUpDownCounter('ou').addCallback((r) => r.observe(4));
      const oc = meter.createObservableCounter('oc');
      let total = 0;
      const batch = (r: { observe: (o: typeof oc, v: number) => void }): void => { total += 5; r.observe(oc, total); };
      meter.addBatchObservableCallback(batch, [oc]);
      return [() => gauge.record(1, { k: 'v' }), () => meter.removeBatchObservableCallback(batch, [oc])];
    }],
    ['past the cardinality limit: the overflow series, an interval apart (delta) and summed (cumulative)', (meterOf) => {
      const meter = meterOf('m');
      const h = meter.createHistogram('h');
      const u = meter.createUpDownCounter('u');
      const many = (from: number) => (): void => { for (let n = from; n < from + 2_050; n++) { h.record(n % 9, { n }); u.add(1, { n }); } h.record(1, { n: from }); };
      return [many(0), many(1_000), () => u.add(1, { n: 4_000 })];
    }],
  ])('byte-identical envelopes: %s', async (_name, script) => {
    const sdk = await envelopesOf(script, false);
    const ours = await envelopesOf(script, true);
    const brief = (t: string): string => JSON.stringify((JSON.parse(t) as { data: { baseData: unknown } }[][]).map((i) => i.map((e) => e.data.baseData)));
    expect(brief(ours)).toBe(brief(sdk));
    expect(ours).toBe(sdk);
    expect(JSON.parse(ours).flat().length).toBeGreaterThan(0);
  });

  it('byte-identical envelopes under exponential histograms (Application Insights reads count, sum, min and max only)', async () => {
    const sdk = await envelopesOf(benchApp, false, 'base2_exponential_bucket_histogram');
    const ours = await envelopesOf(benchApp, true, 'base2_exponential_bucket_histogram');
    expect(ours).toBe(sdk);
  });

  it("the bench app's envelopes: what reaches Application Insights (names, properties, count, sum)", async () => {
    const envelopes = (JSON.parse(await envelopesOf(benchApp, true)) as { data: { baseData: { metrics: { name: string; count?: number; value: number }[]; properties?: Record<string, string> } } }[][])[0]!;
    const summary = envelopes.map((e) => [e.data.baseData.metrics[0]!.name, e.data.baseData.metrics[0]!.count, e.data.baseData.properties?.['http.response.status_code'] ?? e.data.baseData.properties?.['db.client.connection.state']]);
    expect(summary).toEqual(expect.arrayContaining([
      ['http.server.request.duration', 34, '200'], ['http.server.request.duration', 6, '500'],
      ['http.client.request.duration', 40, '200'], ['db.client.operation.duration', 30, undefined],
      ['db.client.connection.count', undefined, 'used'], ['db.client.connection.count', undefined, 'idle'],
    ]));
  });
});
