'use strict';
/**
 * Mapper profile: the CPU our span mapping costs, apart from gzip and delivery. Maps the bench
 * workload's spans (bench/src/workload.js) through `spanToEnvelopes` and `JSON.stringify`s every
 * envelope, in batches of 512 as the exporter does, and prints the median CPU per span of the
 * measured rounds, for mapping and for JSON separately.
 *
 *   node bench/src/mapper-profile.js                     # CPU medians (process.cpuUsage)
 *   MAPPER_PROFILE_ROUNDS=0 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.0 node bench/src/mapper-profile.js
 *   MAPPER_PROFILE_ROUNDS=4 valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.4 node bench/src/mapper-profile.js
 *
 * Instruction counts do not depend on the machine's load: (Ir of 4 rounds - Ir of 0 rounds) / (4 x
 * spans) is the mapper's instructions per span (the warm-up rounds run in both). `--cpu-prof`
 * works as usual. Env: MAPPER_PROFILE_SPANS (default 10,000), MAPPER_PROFILE_ROUNDS (default 20),
 * MAPPER_PROFILE_WARMUP (rounds before measuring, default 3), MAPPER_PROFILE_JSON=0 to map only,
 * MAPPER_PROFILE_CORE (path of another core build to measure instead of @appinsights-otel/core),
 * MAPPER_PROFILE_WORKLOAD=app for spans shaped like the bench app's requests (bench/src/app/pipeline-request.js:
 * SERVER span, pg, fetch and http.get CLIENT spans, with the instrumentations' attribute sets).
 *
 * A/B on a loaded machine: MAPPER_PROFILE_CORE_B=<path of another core build> runs fresh child
 * processes alternately, A then B, MAPPER_PROFILE_RUNS times (default 6), so load changes hit both
 * alike, and prints the medians of each and B/A. (Loading both builds into one process was tried
 * first: it slowed the older, lookup-heavier build more than the newer one, since both share V8's
 * inline-cache tables, and overstated gains about 1.3x; an A/A run of it read 1.01.)
 */
const { execFileSync } = require('node:child_process');
const { buildWorkload, toBatches } = require('./workload');

const IKEY = '00000000-0000-4000-8000-000000000001';
const BATCH_SIZE = 512;

const envNumber = (name, fallback) => (process.env[name] !== undefined ? Number(process.env[name]) : fallback);
const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A measured mapper: one core build, its rounds' CPU per span. */
function createSubject(modulePath) {
  const core = require(modulePath);
  return { core, ctx: core.createMappingContext({ instrumentationKey: IKEY }), maps: [], jsons: [] };
}

/** `count` spans of bench-app requests (four per request), ended and collected by a bare tracer provider. */
function appSpans(count) {
  const api = require('@opentelemetry/api');
  const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  const spans = [];
  const collector = { onStart() {}, onEnd: (s) => spans.push(s), forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), spanProcessors: [collector] });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  const noLogs = { logs: { getLogger: () => ({ emit() {} }) } };
  const { request } = require('./app/pipeline-request').createRequestShape(api, noLogs, 'default');
  for (let i = 0; spans.length < count; i++) request(i);
  return spans.slice(0, count);
}

function main() {
  const spanCount = envNumber('MAPPER_PROFILE_SPANS', 10_000);
  const rounds = envNumber('MAPPER_PROFILE_ROUNDS', 20);
  const warmup = envNumber('MAPPER_PROFILE_WARMUP', 3);
  const withJson = process.env.MAPPER_PROFILE_JSON !== '0';
  const subject = createSubject(process.env.MAPPER_PROFILE_CORE ?? '@appinsights-otel/core');
  const batches = toBatches(process.env.MAPPER_PROFILE_WORKLOAD === 'app' ? appSpans(spanCount) : buildWorkload(spanCount).spans, BATCH_SIZE);
  let sink = 0; // keeps results observable so nothing is optimised away

  /** One pass over every batch: returns [mapMicros, jsonMicros]. */
  const round = ({ core, ctx }) => {
    let mapMicros = 0;
    let jsonMicros = 0;
    for (const batch of batches) {
      const t0 = cpuNow();
      const envelopes = [];
      for (let i = 0; i < batch.length; i++) {
        const mapped = core.spanToEnvelopes(batch[i], ctx);
        for (let j = 0; j < mapped.length; j++) envelopes.push(mapped[j]);
      }
      const t1 = cpuNow();
      if (withJson) for (let i = 0; i < envelopes.length; i++) sink += JSON.stringify(envelopes[i]).length;
      else sink += envelopes.length;
      mapMicros += t1 - t0;
      jsonMicros += cpuNow() - t1;
    }
    return [mapMicros, jsonMicros];
  };

  for (let i = 0; i < warmup; i++) round(subject);
  for (let i = 0; i < rounds; i++) {
    const [mapMicros, jsonMicros] = round(subject);
    subject.maps.push(mapMicros / spanCount);
    subject.jsons.push(jsonMicros / spanCount);
  }
  if (rounds === 0) return;
  const { maps, jsons } = subject;
  const result = {
    spans: spanCount, rounds, mapMicrosPerSpan: fmt(median(maps)), jsonMicrosPerSpan: fmt(median(jsons)),
    totalMicrosPerSpan: fmt(median(maps.map((m, i) => m + jsons[i]))), check: sink % 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const fmt = (n) => Number(n.toFixed(3));

/** Alternates child runs of build A (MAPPER_PROFILE_CORE or the workspace's) and build B. */
function compare(coreB) {
  const runs = envNumber('MAPPER_PROFILE_RUNS', 6);
  const childEnv = (core) => {
    const env = { ...process.env };
    delete env.MAPPER_PROFILE_CORE_B;
    if (core === undefined) delete env.MAPPER_PROFILE_CORE;
    else env.MAPPER_PROFILE_CORE = core;
    return env;
  };
  const results = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    for (const [side, core] of [['a', process.env.MAPPER_PROFILE_CORE], ['b', coreB]]) {
      results[side].push(JSON.parse(execFileSync(process.execPath, [process.argv[1]], { env: childEnv(core), encoding: 'utf8' })));
    }
  }
  const summary = (list) => ({
    mapMicrosPerSpan: fmt(median(list.map((r) => r.mapMicrosPerSpan))), totalMicrosPerSpan: fmt(median(list.map((r) => r.totalMicrosPerSpan))),
  });
  const a = summary(results.a);
  const b = summary(results.b);
  const ratio = { map: fmt(b.mapMicrosPerSpan / a.mapMicrosPerSpan), total: fmt(b.totalMicrosPerSpan / a.totalMicrosPerSpan) };
  process.stdout.write(`${JSON.stringify({ runs, a, b, bOverA: ratio })}\n`);
}

if (process.env.MAPPER_PROFILE_CORE_B) compare(process.env.MAPPER_PROFILE_CORE_B);
else main();
