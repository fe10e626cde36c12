'use strict';
/**
 * `npm run bench:app`: the cost per request of recording a real app, ours against Microsoft's
 * official distro. See docs/benchmark.md, "App benchmark".
 *
 * Settings (environment): BENCH_APP_SET=main|attribution (default main), BENCH_APP_ROUNDS (default 5;
 * 1 in quick mode), BENCH_APP_SECONDS measured per run (default 10; 3 quick), BENCH_APP_WARMUP_SECONDS
 * (default 3; 1 quick), BENCH_APP_CONNECTIONS (default 10), BENCH_APP_QUICK=1 for development,
 * BENCH_WRITE_DOCS=1 to rewrite the generated block of docs/benchmark.md (default on unless quick),
 * BENCH_APP_ONLY=key,key to run some variants only (development), BENCH_APP_CPU_PROF=<dir> to write a
 * CPU profile of every app process there (summarise with profile-summary.js), BENCH_APP_OFFICIAL=setup|workspace
 * (which copy of the official distro: official-distro.js).
 *
 * Variants are alternated: every round runs each variant once, in a fresh process, the order
 * rotated by one per round so no variant always follows the same neighbour.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { RESULTS_DIR, REPO_ROOT } = require('../paths');
const { writeDocsBlock } = require('../docs-block');
const { runContext, fmt } = require('../report');
const { SETS } = require('./variants');
const { startInfrastructure } = require('./infrastructure');
const { runVariant } = require('./run-variant');
const report = require('./report');
const { microsPerRequestByPart } = require('./profile-summary');
const { describeOfficial } = require('./official-distro');
const { pinningPlan, pinProcess } = require('./cpu-pinning');

const QUICK = process.env.BENCH_APP_QUICK === '1';
// BENCH_APP_CPU_PROF=1: profiles into a new temporary directory (printed); any other value names the directory.
const PROFILE_DIR = process.env.BENCH_APP_CPU_PROF === '1' ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-app-profiles-')) : process.env.BENCH_APP_CPU_PROF;
const SET = process.env.BENCH_APP_SET ?? 'main';
const SETTINGS = {
  rounds: Number(process.env.BENCH_APP_ROUNDS ?? (QUICK ? 1 : 5)),
  seconds: Number(process.env.BENCH_APP_SECONDS ?? (QUICK ? 3 : 10)),
  warmupSeconds: Number(process.env.BENCH_APP_WARMUP_SECONDS ?? (QUICK ? 1 : 3)),
  connections: Number(process.env.BENCH_APP_CONNECTIONS ?? 10),
  pinning: pinningPlan(),
};
// With BENCH_APP_PIN=1 this runner (emulator, TLS front) and every child it starts run on the CPUs
// the app does not have; run-variant moves each app child to its own CPU.
if (SETTINGS.pinning) pinProcess(process.pid, SETTINGS.pinning.rest);
// A pinned run is an extra observation: it leaves the docs' blocks (unpinned runs) alone unless asked.
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS === undefined ? !QUICK && !SETTINGS.pinning : process.env.BENCH_WRITE_DOCS === '1';
const DOCS_FILE = path.join(REPO_ROOT, 'docs', 'benchmark.md');
const markers = (name) => ({
  start: `<!-- bench:app:${name}:start (npm run bench:app${name === 'main' ? '' : `:${name}`} rewrites this block) -->`,
  end: `<!-- bench:app:${name}:end -->`,
});

function rotated(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

async function runAll(variants, infra) {
  const runsByKey = Object.fromEntries(variants.map((v) => [v.key, []]));
  const problems = [];
  const token = infra.token();
  for (let round = 0; round < SETTINGS.rounds; round++) {
    for (const variant of rotated(variants, round)) {
      let r;
      try {
        r = await runVariant(variant, infra, { ...SETTINGS, token, ...(PROFILE_DIR ? { profileDir: PROFILE_DIR } : {}) });
      } catch (error) { // one failed run is an invalid run, not the end of the bench
        problems.push(`${variant.name}, round ${round + 1}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const cpu = r.app.cpuMicros / r.app.requests;
      console.log(`round ${round + 1}/${SETTINGS.rounds} ${variant.name}: ${fmt(r.requestsPerSecond, 0)} req/s, p99 ${fmt(r.latencyP99Millis, 1)} ms, ${fmt(cpu, 0)} µs CPU/req, ${fmt(r.stored.bytes / r.served, 0)} B/req${r.warnings.length ? `; stderr: ${r.warnings.join(' | ').slice(0, 300)}` : ''}`);
      if (r.problems.length) problems.push(...r.problems.map((p) => `${variant.name}: ${p}`));
      else runsByKey[variant.key].push(r);
    }
  }
  return { runsByKey, problems };
}

function render(variants, runsByKey, startedAt) {
  const summaries = variants.map((v) => report.summarize(v.key, v.name, runsByKey[v.key]));
  const { pooled, noise } = report.baseline(runsByKey);
  const byKey = Object.fromEntries(summaries.map((s) => [s.key, s]));
  const context = runContext(startedAt);
  const official = variants.some((v) => v.spec.distro === 'official') ? ` Official: ${describeOfficial()}.` : '';
  const header = `Run ${context.finishedAt.slice(0, 16)}Z, node ${context.node}, ${context.cpu}; ${SETTINGS.rounds} rounds x ${SETTINGS.seconds} s measured `
    + `(after ${SETTINGS.warmupSeconds} s warm-up), ${SETTINGS.connections} connections, medians over rounds.${official}`
    + (SETTINGS.pinning ? ` Pinned (BENCH_APP_PIN=1): the app on CPU ${SETTINGS.pinning.app}, everything else on CPU ${SETTINGS.pinning.rest}.` : '');
  const gzip = report.compressionLine(summaries);
  const noiseText = noise === undefined ? '' : `A/A noise (the two no-telemetry variants): CPU per request ${fmt(100 * noise.cpu, 1)}% (${fmt(noise.cpuMicros, 0)} µs), `
    + `throughput ${fmt(100 * noise.throughput, 1)}%, p99 ${fmt(100 * noise.p99, 1)}%. Added figures are over both pooled (${fmt(pooled.cpuMicrosPerRequest, 0)} µs CPU/req, ${fmt(pooled.requestsPerSecond, 0)} req/s).`;
  if (PROFILE_DIR) {
    const partsByKey = Object.fromEntries(variants.map((v) => [v.key, runsByKey[v.key].filter((r) => r.profileFile)
      .map((r) => microsPerRequestByPart(JSON.parse(fs.readFileSync(r.profileFile, 'utf8')), r.app.cpuMicros / r.app.requests))]));
    const note = 'CPU profile of the measured window (node:inspector, in the app process): each part\'s share of the profile\'s busy samples times the CPU per request measured for that window. '
      + 'Time in Node internals and V8 builtins counts for the nearest calling package; async-hooks internals count for the context manager. Profiling itself slows the app.';
    return { summaries, md: [header, note, '', report.profileTable(summaries, partsByKey)].join('\n') };
  }
  if (SET === 'attribution') return { summaries, md: [header, '', report.attributionTable(summaries, pooled), ...(gzip ? ['', gzip] : [])].join('\n') };
  const checks = report.targets(byKey, pooled);
  const targetLines = checks.map((t) => `- **${t.pass ? 'PASS' : 'FAIL'}** ${t.text}: ${t.detail}`);
  const floorLines = report.floorShares(byKey, pooled).map((line) => `- ${line}`);
  const floorBlock = floorLines.length ? ['', 'The OpenTelemetry floor (the SDK alone, nothing exported) against those budgets:', '', ...floorLines] : [];
  return { summaries, checks, md: [header, '', report.appTable(summaries, pooled), '', ...[noiseText, gzip].filter(Boolean).flatMap((p) => [p, '']), ...targetLines, ...floorBlock].join('\n') };
}

async function main() {
  const startedAt = new Date();
  const only = (process.env.BENCH_APP_ONLY ?? '').split(',').filter(Boolean);
  const variants = SETS[SET]?.filter((v) => only.length === 0 || only.includes(v.key));
  if (!variants?.length) throw new Error(`BENCH_APP_SET must be one of ${Object.keys(SETS).join(', ')} (BENCH_APP_ONLY: keys of its variants)`);
  console.log(`appinsights-otel app bench (${SET}): ${variants.length} variants x ${SETTINGS.rounds} rounds, ${SETTINGS.seconds} s each, node ${process.version}`);
  const infra = await startInfrastructure();
  // Interrupted (Ctrl-C, a CI timeout): stop what we started; the app and load children follow
  // their IPC channel, the backends their stdin.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => { infra.stop().finally(() => process.exit(130)); });
  }
  let outcome;
  try {
    outcome = await runAll(variants, infra);
  } finally {
    await infra.stop();
  }
  const rendered = render(variants, outcome.runsByKey, startedAt);
  const { summaries, checks } = rendered;
  const md = outcome.problems.length ? `${rendered.md}\n\n${outcome.problems.length} invalid run(s) left out (listed by the command and in the results JSON).` : rendered.md;
  console.log(`\n${md}`);
  if (PROFILE_DIR) console.log(`\nCPU profiles: ${PROFILE_DIR} (node src/app/profile-summary.js <file> lists every module)`);
  if (outcome.problems.length) console.log(`\nINVALID runs (left out):\n  ${outcome.problems.join('\n  ')}`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `app-${PROFILE_DIR ? 'profile' : SET}${SETTINGS.pinning ? '-pinned' : ''}-latest.json`), JSON.stringify({ ...runContext(startedAt), settings: SETTINGS, summaries, checks, problems: outcome.problems, runs: outcome.runsByKey }, null, 2) + '\n');
  // A failed run is left out; a network guard line means the run broke the rule: no docs from it.
  const everyVariantMeasured = variants.every((v) => outcome.runsByKey[v.key].length > 0);
  const guardViolation = outcome.problems.some((p) => p.includes('NETWORK GUARD'));
  if (WRITE_DOCS && everyVariantMeasured && !guardViolation) {
    const block = PROFILE_DIR ? 'profile' : SET;
    writeDocsBlock(DOCS_FILE, md, markers(block));
    console.log(`wrote the ${block} block of docs/benchmark.md`);
  }
  process.exitCode = outcome.problems.length ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
