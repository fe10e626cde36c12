'use strict';
/**
 * Per-span CPU cost of the distro's telemetry tap (Live Metrics + standard metrics + performance
 * counters listeners, nobody watching Live Metrics), against the cost of mapping the span whole
 * (what the exporter does anyway). Spans are built once; the loop only calls the tap's onEnd.
 *
 *   node bench/src/tap/run.js [--spans 50000] [--runs 7] [--watched [--spans-per-post 1000] [--configured facts|fields]] [--dir <dist/live-metrics dir>]
 *
 * `--configured` applies a Live Metrics filter configuration like the portal's default (document
 * streams of failed requests and dependencies, all exceptions and traces) plus two derived metrics:
 * `facts` filters on success/duration/codes only (no mapping), `fields` adds a filter on the URL and
 * a custom dimension (each request mapped whole once).
 *
 * `--dir` points at another build of packages/distro/dist/live-metrics (A/B against an older tree).
 * CPU time is process.cpuUsage (user + system) per span, median of the runs.
 */
const path = require('node:path');
const { SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { createMappingContext, spanToEnvelopes } = require('@appinsights-otel/core');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SPANS = Number(arg('spans', '50000'));
const RUNS = Number(arg('runs', '7'));
const WATCHED = process.argv.includes('--watched');
const DIR = path.resolve(arg('dir', path.join(__dirname, '../../../packages/distro/dist/live-metrics')));
const SPANS_PER_POST = Number(arg('spans-per-post', '1000'));
const CONFIGURED = arg('configured', undefined);
const IKEY = '11111111-2222-4333-8444-555555555555';

const load = (name) => require(path.join(DIR, name));
const { createTelemetryTap } = load('create-telemetry-tap');
const { createLiveMetricsAccumulator } = load('create-live-metrics-accumulator');
const { createStandardMetricsAggregator } = load('standard-metrics-aggregator');
const { registerPerformanceCounters } = load('register-performance-counters');

/** A mix like a web service's: requests (some failing, some with an exception event), HTTP and SQL dependencies. */
function buildSpans(count) {
  const spans = [];
  const collector = { onStart() {}, onEnd: (s) => spans.push(s), forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'i-1' }), spanProcessors: [collector],
  });
  const tracer = provider.getTracer('bench');
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    if (kind === 0) {
      const span = tracer.startSpan('GET /orders/:id', { kind: SpanKind.SERVER, attributes: {
        'http.request.method': 'GET', 'http.route': '/orders/:id', 'url.full': `http://shop.local/orders/${i}?x=1`,
        'http.response.status_code': i % 10 === 0 ? 500 : 200, 'client.address': '10.0.0.1', 'user_agent.original': 'bench/1.0', 'tenant': 't1',
      } });
      if (i % 30 === 0) span.recordException(new Error('boom'));
      span.end();
    } else if (kind === 1) {
      const span = tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: {
        'http.request.method': 'GET', 'url.full': `https://api.example:8443/items/${i}`, 'server.address': 'api.example', 'server.port': 8443,
        'http.response.status_code': 200,
      } });
      span.end();
    } else {
      const span = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT, attributes: {
        'db.system': 'postgresql', 'db.query.text': 'SELECT * FROM orders WHERE id = $1', 'db.namespace': 'shop', 'server.address': 'db',
      } });
      span.setStatus({ code: SpanStatusCode.OK });
      span.end();
    }
  }
  return spans;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function cpuMicrosPerSpan(spans, onEnd) {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < SPANS; i++) onEnd(spans[i % spans.length]);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / SPANS;
}

/** A configuration like the portal's default streams, plus two derived metrics (see --configured). */
function benchConfiguration(kind) {
  const failed = { FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' };
  const group = (TelemetryType, Filters) => ({ TelemetryType, Filters: { Filters } });
  const metric = (Id, TelemetryType, Filters, Projection) => ({ Id, TelemetryType, FilterGroups: [{ Filters }], Projection, Aggregation: 'Avg', BackEndAggregation: 'Avg' });
  const slow = { FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.0:0:0.1' };
  const fields = kind === 'fields' ? [{ FieldName: 'Url', Predicate: 'Contains', Comparand: 'orders' }, { FieldName: 'CustomDimensions.tenant', Predicate: 'Equal', Comparand: 't1' }] : [];
  return {
    ETag: 'bench',
    Metrics: [metric('slow-requests', 'Request', [slow, ...fields], 'Duration'), metric('failed-deps', 'Dependency', [failed], 'Count()')],
    DocumentStreams: [{ Id: 'default', DocumentFilterGroups: [group('Request', [failed]), group('Dependency', [failed]), group('Exception', []), group('Trace', [])] }],
  };
}

function main() {
  const spans = buildSpans(3_000);
  // A reader as in the distro (delta, exported rarely: the loop measures recording, not export).
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA), exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const meter = meterProvider.getMeter('bench');
  const tap = createTelemetryTap({ instrumentationKey: IKEY, markProcessed: true });
  const accumulator = createLiveMetricsAccumulator();
  if (WATCHED) accumulator.onSubscribedChange(true);
  if (WATCHED && CONFIGURED !== undefined) accumulator.onConfiguration(benchConfiguration(CONFIGURED), 'bench');
  tap.listen((item) => accumulator.record(item));
  tap.listen(createStandardMetricsAggregator([0, 0]).record); // as the distro runs it (issue 25)
  tap.listen(registerPerformanceCounters(meter));
  const ctx = createMappingContext({ instrumentationKey: IKEY });
  const mapOnEnd = (span) => { spanToEnvelopes(span, ctx); };
  // Watched: one post (collect) per SPANS_PER_POST spans, as if the app served that many per second.
  let collected = 0;
  let sincePost = 0;
  const tapOnEndWatched = (span) => {
    tap.spanProcessor.onEnd(span);
    if (++sincePost === SPANS_PER_POST) {
      sincePost = 0;
      collected += accumulator.collect().documents.length;
    }
  };
  const tapOnEnd = WATCHED ? tapOnEndWatched : (span) => tap.spanProcessor.onEnd(span);
  cpuMicrosPerSpan(spans, tapOnEnd); // warm-up
  cpuMicrosPerSpan(spans, mapOnEnd);
  const tapRuns = [];
  const mapRuns = [];
  for (let run = 0; run < RUNS; run++) {
    tapRuns.push(cpuMicrosPerSpan(spans, tapOnEnd));
    mapRuns.push(cpuMicrosPerSpan(spans, mapOnEnd));
  }
  const result = {
    dir: path.relative(process.cwd(), DIR) || '.', spans: SPANS, runs: RUNS, watched: WATCHED, configured: CONFIGURED ?? null,
    tapMicrosPerSpan: Number(median(tapRuns).toFixed(3)), mapMicrosPerSpan: Number(median(mapRuns).toFixed(3)), documents: collected,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  void meterProvider.shutdown();
}

main();
