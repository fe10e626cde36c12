'use strict';
/**
 * `npm run bench`: our trace exporter against the official @azure/monitor-opentelemetry-exporter
 * on the same workload in the same run, each in a fresh child process per round, alternating the
 * order every round; prints medians, ratios and targets; writes bench/results/latest.json.
 *
 * Safety: every process (this one, the sink, each exporter child) runs with the repo's loopback
 * network guard preloaded; any "NETWORK GUARD" line on a child's stderr (or a violation recorded
 * here) makes the run invalid and the exit code non-zero. See docs/benchmark.md.
 *
 * env: BENCH_ROUNDS (7), BENCH_SPAN_COUNT (10000), BENCH_BATCH_SIZE (512),
 *      BENCH_WARMUP_SPANS (0 = measure from cold; N = export N spans first, then measure),
 *      BENCH_OURS_SCHEME (https | http, default https: TLS cost on both sides),
 *      BENCH_VARIANTS (comma list, default official-plain,official-gzip,ours,floor),
 *      BENCH_CPU_PROF_DIR (write a V8 .cpuprofile per child there; figures then include profiler overhead)
 */
const { NETWORK_GUARD, HOST_ALIAS_PRELOAD, RESULTS_DIR, GZIP_HOST_ALIAS } = require('./paths');
const { baseChildEnv } = require('./child-env');
const guard = require(NETWORK_GUARD).install(); // idempotent if already preloaded via --require

const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createSinkCertificate } = require('./tls-cert');
const { REQUIRED_ENV: OFFICIAL_ENV } = require('./exporters/official');
const report = require('./report');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SPAN_COUNT = Number(process.env.BENCH_SPAN_COUNT ?? 10_000);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 512);
const OURS_SCHEME = process.env.BENCH_OURS_SCHEME === 'http' ? 'http' : 'https';
const WARMUP_SPANS = Number(process.env.BENCH_WARMUP_SPANS ?? 0);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'official-plain,official-gzip,ours,floor').split(',').map((s) => s.trim()).filter(Boolean);
const CHILD_TIMEOUT_MILLIS = 90_000;
const EXIT_NOT_AVAILABLE = 78;
const GUARD_MARKER = 'NETWORK GUARD';
const IKEY = '00000000-0000-4000-8000-000000000001';


/** Forks a guarded child; resolves with its messages, exit code and stderr. */
function runChild(script, { env, extraPreloads = [], onMessage } = {}) {
  return new Promise((resolve) => {
    const execArgv = ['--expose-gc', '--require', NETWORK_GUARD];
    if (CPU_PROF_DIR) execArgv.push('--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR);
    for (const p of extraPreloads) execArgv.push('--require', p);
    const forkedAt = Date.now();
    const child = fork(script, [], { env, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = ''; let stdout = '';
    const messages = [];
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    child.on('message', (m) => { messages.push(m); onMessage?.(m, child); });
    const timer = setTimeout(() => { stderr += `\n[bench] killed after ${CHILD_TIMEOUT_MILLIS} ms\n`; child.kill('SIGKILL'); }, CHILD_TIMEOUT_MILLIS);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, messages, stderr, stdout, processMillis: Date.now() - forkedAt }); });
  });
}

function startSink(cert) {
  return new Promise((resolve, reject) => {
    const env = { ...baseChildEnv(), BENCH_SINK_CERT: cert.certFile, BENCH_SINK_KEY: cert.keyFile };
    const child = fork(path.join(__dirname, 'sink.js'), [], { env, execArgv: ['--require', NETWORK_GUARD], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const sink = { child, stderr: '', pending: new Map(), nextId: 1 };
    child.stderr.on('data', (d) => { sink.stderr += d; });
    child.on('message', (m) => {
      if (m.type === 'ready') {
        if (m.guardActive !== true) { child.kill(); reject(new Error('network guard not active in the sink')); return; }
        sink.httpPort = m.httpPort; sink.httpsPort = m.httpsPort; resolve(sink); return;
      }
      const p = sink.pending.get(m.id);
      if (p) { sink.pending.delete(m.id); p(m); }
    });
    child.on('exit', (code) => reject(new Error(`sink exited early (${code}): ${sink.stderr}`)));
    sink.request = (type) => new Promise((res) => { const id = sink.nextId++; sink.pending.set(id, res); child.send({ type, id }); });
  });
}

function connectionStringFor(variant, sink) {
  if (variant === 'official-plain') return `InstrumentationKey=${IKEY};IngestionEndpoint=https://127.0.0.1:${sink.httpsPort}`;
  if (variant === 'official-gzip') return `InstrumentationKey=${IKEY};IngestionEndpoint=https://${GZIP_HOST_ALIAS}:${sink.httpsPort}`;
  const port = OURS_SCHEME === 'https' ? sink.httpsPort : sink.httpPort;
  return `InstrumentationKey=${IKEY};IngestionEndpoint=${OURS_SCHEME}://127.0.0.1:${port}`;
}

async function runOne(variant, round, sink, cert) {
  const env = { ...baseChildEnv(), BENCH_SPAN_COUNT: String(SPAN_COUNT), BENCH_BATCH_SIZE: String(BATCH_SIZE), BENCH_WARMUP_SPANS: String(WARMUP_SPANS) };
  const extraPreloads = [];
  let script = path.join(__dirname, 'child', 'run-exporter.js');
  if (variant === 'floor') {
    script = path.join(__dirname, 'child', 'floor.js');
  } else {
    env.BENCH_VARIANT = variant;
    env.BENCH_CONNECTION_STRING = connectionStringFor(variant, sink);
    env.NODE_EXTRA_CA_CERTS = cert.certFile;
    if (variant.startsWith('official')) Object.assign(env, OFFICIAL_ENV);
    if (variant === 'official-gzip') { env.BENCH_HOST_ALIAS = GZIP_HOST_ALIAS; extraPreloads.push(HOST_ALIAS_PRELOAD); }
  }
  if (variant !== 'floor') await sink.request('reset');
  const onMessage = (m, proc) => {
    if (m?.type === 'warmed') void sink.request('reset').then(() => proc.send({ type: 'go' }));
  };
  const child = await runChild(script, { env, extraPreloads, onMessage });
  const guardLines = child.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER));
  const notAvailable = child.messages.find((m) => m.type === 'not-available');
  if (notAvailable || child.code === EXIT_NOT_AVAILABLE) return { variant, round, notAvailable: notAvailable?.reason ?? 'not available', guardLines };
  const result = child.messages.find((m) => m.type === 'result');
  const run = { round, ...result, exitCode: child.code, signal: child.signal, processMillis: child.processMillis, guardLines, stderr: child.stderr.trim().slice(0, 2000) };
  if (variant !== 'floor') {
    const { stats } = await sink.request('stats');
    Object.assign(run, { items: stats.items, wireBytes: stats.wireBytes, decodedBytes: stats.decodedBytes, requests: stats.requests, gzipRequests: stats.gzipRequests, bearerRequests: stats.bearerRequests, sinkParseErrors: stats.parseErrors, sinkBadRequests: stats.badRequests, sinkPaths: stats.paths, itemsByName: stats.itemsByName });
  }
  run.problems = problemsOf(run);
  return run;
}

function problemsOf(run) {
  const p = [];
  if (run.type !== 'result') p.push(`no result (exit ${run.exitCode}${run.signal ? ', ' + run.signal : ''}): ${run.stderr}`);
  if (run.exitCode !== 0) p.push(`exit code ${run.exitCode}`);
  if (run.type === 'result' && run.guardActive !== true) p.push('network guard was not active in the child');
  if (run.guardLines.length) p.push(`network guard: ${run.guardLines.join(' / ')}`);
  if (run.items !== run.expectedItems) p.push(`items received ${run.items} != sent ${run.expectedItems} (lost ${run.expectedItems - run.items})`);
  if (run.failedBatches) p.push(`${run.failedBatches} export callbacks reported FAILED: ${run.failedReasons?.join('; ')}`);
  if (run.sinkParseErrors) p.push(`${run.sinkParseErrors} request bodies the sink could not parse`);
  if (run.sinkBadRequests) p.push(`${run.sinkBadRequests} requests to unexpected paths`);
  if (run.variant && run.variant !== 'floor' && run.requests && run.bearerRequests !== run.requests) p.push(`${run.requests - run.bearerRequests} requests without a Bearer token`);
  if (run.variant === 'official-gzip' && run.requests && run.gzipRequests !== run.requests) p.push(`only ${run.gzipRequests}/${run.requests} requests gzipped`);
  if (run.shutdownError) p.push(`shutdown: ${run.shutdownError}`);
  return p;
}

function orderFor(round) {
  const measured = VARIANTS.filter((v) => v !== 'floor');
  const k = round % measured.length;
  const rotated = [...measured.slice(k), ...measured.slice(0, k)];
  if (round % 2 === 1) rotated.reverse();
  return VARIANTS.includes('floor') ? [...rotated, 'floor'] : rotated;
}

async function main() {
  const startedAt = new Date();
  console.log(`appinsights-otel bench: ${SPAN_COUNT} spans${WARMUP_SPANS ? ` after ${WARMUP_SPANS} warm-up spans` : ' from cold'}, batches of ${BATCH_SIZE}, ${ROUNDS} rounds, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);
  const cert = await createSinkCertificate(GZIP_HOST_ALIAS);
  const sink = await startSink(cert);
  console.log(`sink: http://127.0.0.1:${sink.httpPort} https://127.0.0.1:${sink.httpsPort} (separate process ${sink.child.pid}); ours over ${OURS_SCHEME}`);

  const runs = [];
  const notRun = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = orderFor(round).filter((v) => !notRun[v]);
      const parts = [];
      for (const variant of order) {
        const run = await runOne(variant, round, sink, cert);
        if (run.notAvailable) { notRun[variant] = run.notAvailable; parts.push(`${variant}: NOT AVAILABLE`); if (run.guardLines.length) runs.push({ ...run, problems: [`network guard: ${run.guardLines.join(' / ')}`] }); continue; }
        runs.push(run);
        parts.push(`${variant} ${(run.wallMillis ?? NaN).toFixed(0)}ms${run.problems.length ? ' INVALID' : ''}`);
      }
      console.log(`round ${round + 1}/${ROUNDS}: ${parts.join(', ')}`);
    }
  } finally {
    sink.child.removeAllListeners('exit');
    sink.child.disconnect();
    await new Promise((r) => { if (sink.child.exitCode !== null) r(); else { sink.child.once('exit', r); setTimeout(() => { sink.child.kill(); r(); }, 2000).unref(); } });
    cert.remove();
  }

  const sinkGuardLines = sink.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER));
  const invalid = runs.filter((r) => r.problems.length > 0);
  const selfViolations = guard.violations.slice();
  const byVariant = {};
  for (const v of VARIANTS) {
    const vr = runs.filter((r) => r.variant === v && r.problems.length === 0);
    if (vr.length) byVariant[v] = report.summarize(v, vr);
  }
  const summaries = VARIANTS.map((v) => byVariant[v]).filter(Boolean);
  const ratios = report.ratios(byVariant);
  const oursRuns = runs.filter((r) => r.variant === 'ours');
  const targets = report.targets(byVariant, oursRuns);

  console.log('\nMedians over ' + ROUNDS + ' rounds (each run a fresh process; CPU = user+sys of that process; wire = request body bytes at the sink):\n');
  console.log(report.table(summaries));
  if (ratios.length) { console.log(''); console.log(report.ratioTable(ratios)); }
  if (byVariant.floor) console.log(`\nfloor envelopes: ${byVariant.floor.exporter.replace(/^floor: /, '')}; mapping them (outside the floor's timing) took ${report.fmt(byVariant.floor.mapCpuMicrosPerSpan, 2)} us/span CPU; uncompressed ${report.fmt(byVariant.floor.rawBytesPerSpan, 1)} B/span`);
  console.log('\nTargets:');
  for (const t of targets) console.log(`  ${t.status.padEnd(7)} ${t.name}: ${t.detail}`);
  for (const [v, reason] of Object.entries(notRun)) console.log(`\nNOT RUN: ${v}: ${reason}`);
  const exporterLines = summaries.map((s) => `  ${s.variant}: ${s.exporter}`);
  console.log('\nVariants:\n' + exporterLines.join('\n'));

  const safetyProblems = [...selfViolations.map((v) => `bench runner: ${v}`), ...sinkGuardLines.map((l) => `sink: ${l}`)];
  if (invalid.length || safetyProblems.length) {
    console.log('\nINVALID RUNS:');
    for (const r of invalid) console.log(`  round ${r.round + 1} ${r.variant}: ${r.problems.join('; ')}`);
    for (const p of safetyProblems) console.log(`  ${p}`);
  } else {
    console.log('\nNo NETWORK GUARD line in any bench process; every run delivered every item.');
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = {
    ...report.runContext(startedAt),
    config: { rounds: ROUNDS, spanCount: SPAN_COUNT, warmupSpans: WARMUP_SPANS, batchSize: BATCH_SIZE, oursScheme: OURS_SCHEME, variants: VARIANTS },
    summaries, ratios, targets, notRun,
    valid: invalid.length === 0 && safetyProblems.length === 0,
    safetyProblems,
    runs: runs.map(({ stderr, ...r }) => ({ ...r, stderr: stderr || undefined })),
  };
  const file = path.join(RESULTS_DIR, 'latest.json');
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
  if (!out.valid) process.exitCode = 1;
  else if (notRun.ours) { console.log('\nexit 2: our exporter was requested but not measured'); process.exitCode = 2; }
}

main().catch((error) => { console.error(`bench failed: ${error?.stack ?? error}`); process.exitCode = 1; });
