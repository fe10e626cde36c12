'use strict';
/**
 * CPU per bench-app request of the metrics the OTel instrumentations record themselves (issue 25):
 * `http.server.request.duration` (one), `http.client.request.duration` (two: `http.get` through
 * instrumentation-http, `fetch` through instrumentation-undici), `db.client.operation.duration`
 * (one pg query) and pg's connection counts (`updateCounter` on the pool's acquire and release: six
 * up-down counter adds), with the attribute objects those instrumentations build (copied from
 * their sources: instrumentation-http 0.223, -undici 0.33, -pg 0.76, stable semconv only).
 * Sides, A/B alternated in one process, each round followed by a collection (as an export would):
 *
 *   noop     the API's no-op meter (no MeterProvider registered): the attributes are still built
 *   sdk      the distro's MeterProvider (`buildMeterProvider`, Application Insights reader,
 *            its temporality; the exporter drops), as the instrumentations get it before this cut
 *   sdk1     the same with one-bucket histograms for that reader (a View with no boundaries)
 *   ours     `createInstrumentationMeters` (our aggregation, through the reader's metric producer)
 *
 *   node bench/src/instrumentation-metrics-record.js [--requests 50000] [--rounds 15] [--sides noop,sdk,sdk1,ours]
 *
 * Needs packages/distro built (`npx tsc -b packages/distro`). CPU is process.cpuUsage (user +
 * system) per request, median of the rounds; the added cost of a side is its median minus noop's.
 */
const os = require('node:os');
const path = require('node:path');
const { createNoopMeter } = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { AggregationType, InstrumentType } = require('@opentelemetry/sdk-metrics');
const { azureMonitorTemporalitySelector } = require('@appinsights-otel/core');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('requests', '50000'));
const ROUNDS = Number(arg('rounds', '15'));
const SIDES = arg('sides', 'noop,sdk,sdk1,ours').split(',');
const DIST = path.join(__dirname, '../../packages/distro/dist');
const { buildMeterProvider } = require(path.join(DIST, 'setup/build-metrics'));
const { createInstrumentationMeters } = require(path.join(DIST, 'metrics/instrumentation-meters'));

const RESOURCE = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' });
const SCOPES = {
  http: ['@opentelemetry/instrumentation-http', '0.223.0'],
  undici: ['@opentelemetry/instrumentation-undici', '0.33.0'],
  pg: ['@opentelemetry/instrumentation-pg', '0.76.0'],
};

/** An exporter that drops, with the Application Insights exporter's temporality (and, for sdk1, one-bucket histograms). */
function droppingExporter(oneBucket) {
  return {
    export: (_metrics, done) => done({ code: 0 }),
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: azureMonitorTemporalitySelector,
    ...(oneBucket ? {
      selectAggregation: (type) => (type === InstrumentType.HISTOGRAM
        ? { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [], recordMinMax: true } }
        : { type: AggregationType.DEFAULT }),
    } : {}),
  };
}

/** The instruments as the three instrumentations create them (their `_updateMetricInstruments`). */
function instruments(meterOf) {
  const http = meterOf(...SCOPES.http);
  const undici = meterOf(...SCOPES.undici);
  const pg = meterOf(...SCOPES.pg);
  const seconds = { unit: 's', valueType: 1 };
  return {
    server: http.createHistogram('http.server.request.duration', { ...seconds, description: 'Duration of HTTP server requests.' }),
    client: http.createHistogram('http.client.request.duration', { ...seconds, description: 'Duration of HTTP client requests.' }),
    fetch: undici.createHistogram('http.client.request.duration', { ...seconds, description: 'Measures the duration of outbound HTTP requests.' }),
    operation: pg.createHistogram('db.client.operation.duration', { ...seconds, description: 'Duration of database client operations.' }),
    connections: pg.createUpDownCounter('db.client.connection.count', { unit: '{connection}', description: 'The number of connections that are currently in state described by the state attribute.' }),
    pending: pg.createUpDownCounter('db.client.connection.pending_requests', { unit: '{connection}', description: 'The number of current pending requests for an open connection.' }),
  };
}

const POOL = '127.0.0.1:5432/postgres';
/** pg's `updateCounter` (utils.js), as called on the pool's acquire and release events. */
function updateCounter(inst, used, idle, pending, latest) {
  inst.connections.add(used - latest.used, { 'db.client.connection.state': 'used', 'db.client.connection.pool.name': POOL });
  inst.connections.add(idle - latest.idle, { 'db.client.connection.state': 'idle', 'db.client.connection.pool.name': POOL });
  inst.pending.add(pending - latest.pending, { 'db.client.connection.pool.name': POOL });
  return { used, idle, pending };
}

/** One bench-app request's records: attributes built as the instrumentations build them. */
function request(inst, n, state) {
  const failing = n % 20 === 0;
  state.counter = updateCounter(inst, 1, 0, 0, state.counter); // acquire
  const pgAttributes = { 'db.system.name': 'postgresql', 'db.namespace': 'postgres', 'server.port': 5432, 'server.address': '127.0.0.1', 'db.operation.name': 'SELECT' };
  const pgMetric = {};
  for (const key of ['db.namespace', 'error.type', 'server.port', 'server.address', 'db.operation.name', 'db.system.name']) if (key in pgAttributes) pgMetric[key] = pgAttributes[key];
  inst.operation.record(0.0012 + (n % 5) * 1e-4, pgMetric);
  state.counter = updateCounter(inst, 0, 1, 0, state.counter); // release
  const fetchSpan = { 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:40123/stock/1', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'server.port': 40123, 'http.response.status_code': 200, 'network.protocol.version': '1.1' };
  const fetchMetric = {};
  for (const key of ['http.response.status_code', 'http.request.method', 'server.address', 'server.port', 'url.scheme', 'error.type', 'network.protocol.version']) if (key in fetchSpan) fetchMetric[key] = fetchSpan[key];
  inst.fetch.record(0.0008 + (n % 3) * 1e-4, fetchMetric);
  const clientMetric = { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': 40123 };
  Object.assign(clientMetric, { 'network.protocol.version': '1.1', 'http.response.status_code': 200 });
  inst.client.record(0.0006 + (n % 3) * 1e-4, clientMetric);
  const serverMetric = { 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1' };
  const status = failing ? 500 : 200;
  Object.assign(serverMetric, { 'http.route': '/orders/:id', 'http.response.status_code': status, ...(failing ? { 'error.type': '500' } : {}) });
  inst.server.record(0.0085 + (n % 7) * 1e-3, serverMetric);
}

function side(name) {
  if (name === 'noop') {
    const meter = createNoopMeter();
    return { inst: instruments(() => meter), collect: async () => {}, shutdown: async () => {} };
  }
  const ours = name === 'ours';
  const oursMeters = ours ? createInstrumentationMeters(() => provider, RESOURCE) : undefined;
  const provider = buildMeterProvider({
    resource: RESOURCE, views: [], metricReaders: [], exporter: droppingExporter(name === 'sdk1'), exportIntervalMillis: 3_600_000,
    histogramAggregation: 'explicit_bucket_histogram',
    metricProducers: ours ? [oursMeters.producer] : [],
  });
  const meterOf = ours ? (n, v) => oursMeters.meterProvider.getMeter(n, v) : (n, v) => provider.getMeter(n, v);
  return { inst: instruments(meterOf), collect: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function microsPerRequest(s) {
  const state = { counter: { used: 0, idle: 0, pending: 0 } };
  const cpu0 = process.cpuUsage();
  for (let n = 0; n < REQUESTS; n++) request(s.inst, n, state);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / REQUESTS;
}

async function main() {
  const sides = Object.fromEntries(SIDES.map((name) => [name, side(name)]));
  const runs = Object.fromEntries(SIDES.map((name) => [name, []]));
  const load = [os.loadavg()[0]];
  for (let round = -2; round < ROUNDS; round++) { // rounds -2, -1: warm-up, not counted
    const k = ((round % SIDES.length) + SIDES.length) % SIDES.length;
    const order = [...SIDES.slice(k), ...SIDES.slice(0, k)];
    for (const name of order) {
      const micros = microsPerRequest(sides[name]);
      if (round >= 0) runs[name].push(micros);
      await sides[name].collect();
    }
  }
  load.push(os.loadavg()[0]);
  const medians = Object.fromEntries(SIDES.map((name) => [name, median(runs[name])]));
  const base = medians.noop ?? 0;
  const result = {
    requests: REQUESTS, rounds: ROUNDS, node: process.version, loadAverage: load.map((l) => l.toFixed(2)).join(' -> '),
    microsPerRequest: Object.fromEntries(SIDES.map((name) => [name, Number(medians[name].toFixed(2))])),
    addedOverNoop: Object.fromEntries(SIDES.filter((n) => n !== 'noop').map((name) => [name, Number((medians[name] - base).toFixed(2))])),
    spread: Object.fromEntries(SIDES.map((name) => [name, `${Math.min(...runs[name]).toFixed(2)}-${Math.max(...runs[name]).toFixed(2)}`])),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await Promise.all(Object.values(sides).map((s) => s.shutdown()));
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
