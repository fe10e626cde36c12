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
 * MAPPER_PROFILE_CORE (path of another core build to measure instead of @appinsights-otel/core).
 *
 * A/B on a loaded machine: MAPPER_PROFILE_CORE_B=<path of another core build> loads both builds in
 * this process and alternates their rounds (A, B, A, B, ...), so load changes hit both alike; the
 * medians of each and B/A are printed.
 */
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

function main() {
  const spanCount = envNumber('MAPPER_PROFILE_SPANS', 10_000);
  const rounds = envNumber('MAPPER_PROFILE_ROUNDS', 20);
  const warmup = envNumber('MAPPER_PROFILE_WARMUP', 3);
  const withJson = process.env.MAPPER_PROFILE_JSON !== '0';
  const subjects = [createSubject(process.env.MAPPER_PROFILE_CORE ?? '@appinsights-otel/core')];
  if (process.env.MAPPER_PROFILE_CORE_B) subjects.push(createSubject(process.env.MAPPER_PROFILE_CORE_B));
  const batches = toBatches(buildWorkload(spanCount).spans, BATCH_SIZE);
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

  for (let i = 0; i < warmup; i++) for (const subject of subjects) round(subject);
  for (let i = 0; i < rounds; i++) {
    for (const subject of subjects) {
      const [mapMicros, jsonMicros] = round(subject);
      subject.maps.push(mapMicros / spanCount);
      subject.jsons.push(jsonMicros / spanCount);
    }
  }
  if (rounds === 0) return;
  const summary = ({ maps, jsons }) => ({
    mapMicrosPerSpan: median(maps), jsonMicrosPerSpan: median(jsons), totalMicrosPerSpan: median(maps.map((m, i) => m + jsons[i])),
  });
  const [a, b] = subjects.map(summary);
  const fmt = (n) => Number(n.toFixed(3));
  const round3 = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fmt(v)]));
  const result = { spans: spanCount, rounds, ...round3(a), check: sink % 1000 };
  if (b) Object.assign(result, { b: round3(b), bOverA: { map: fmt(b.mapMicrosPerSpan / a.mapMicrosPerSpan), total: fmt(b.totalMicrosPerSpan / a.totalMicrosPerSpan) } });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
