'use strict';
/**
 * `npm run bench`: our trace exporter against the official @azure/monitor-opentelemetry-exporter,
 * in three phases of one run, each exporter in a fresh child process per round, alternating the
 * order every round:
 *
 * 1. steady: BENCH_STEADY_WARMUP_SPANS spans exported first (not measured), then
 *    BENCH_STEADY_SPANS measured; plus the floor (JSON.stringify + gzip-6 of the same envelopes);
 * 2. cold: BENCH_COLD_SPANS spans from a fresh process;
 * 3. event loop: 5,000 spans/s through the SDK's BatchSpanProcessor for BENCH_EL_SECONDS, the
 *    app's event-loop delay recorded with perf_hooks.monitorEventLoopDelay.
 *
 * Prints three markdown tables (steady, cold, event loop) and the targets with PASS/FAIL computed
 * here; writes bench/results/latest.json; with BENCH_WRITE_DOCS=1 also replaces the generated
 * block of docs/benchmark.md. See docs/benchmark.md for every knob.
 *
 * Safety: every process (this one, the sink, each child) runs with the repo's loopback network
 * guard preloaded; any "NETWORK GUARD" line on a child's stderr (or a violation recorded here)
 * makes the run invalid and the exit code non-zero.
 */
const { NETWORK_GUARD, HOST_ALIAS_PRELOAD, RESULTS_DIR, GZIP_HOST_ALIAS, REPO_ROOT } = require('./paths');
const { baseChildEnv } = require('./child-env');
const guard = require(NETWORK_GUARD).install(); // idempotent if already preloaded via --require

const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createSinkCertificate } = require('./tls-cert');
const { REQUIRED_ENV: OFFICIAL_ENV } = require('./exporters/official');
const report = require('./report');
const { writeDocsBlock } = require('./docs-block');

const QUICK = process.env.BENCH_QUICK === '1';
const num = (name, full, quick) => Number(process.env[name] ?? (QUICK ? quick : full));
const CONFIG = {
  quick: QUICK,
  phases: (process.env.BENCH_PHASES ?? 'steady,cold,eventloop').split(',').map((s) => s.trim()).filter(Boolean),
  variants: (process.env.BENCH_VARIANTS ?? 'official-plain,official-gzip,ours,ours-persist,floor').split(',').map((s) => s.trim()).filter(Boolean),
  batchSize: num('BENCH_BATCH_SIZE', 512, 512),
  oursScheme: process.env.BENCH_OURS_SCHEME === 'http' ? 'http' : 'https',
  steady: { rounds: num('BENCH_STEADY_ROUNDS', 3, 1), warmupSpans: num('BENCH_STEADY_WARMUP_SPANS', 20_000, 20_000), spans: num('BENCH_STEADY_SPANS', 100_000, 100_000) },
  cold: { rounds: num('BENCH_COLD_ROUNDS', 5, 2), spans: num('BENCH_COLD_SPANS', 10_000, 10_000) },
  eventLoop: { rounds: num('BENCH_EL_ROUNDS', 1, 1), seconds: num('BENCH_EL_SECONDS', 30, 8), warmupSeconds: num('BENCH_EL_WARMUP_SECONDS', 3, 2), rate: num('BENCH_EL_RATE', 5000, 5000) },
};
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS === '1';
const DOCS_FILE = path.join(REPO_ROOT, 'docs', 'benchmark.md');
const EXIT_NOT_AVAILABLE = 78;
const GUARD_MARKER = 'NETWORK GUARD';
const IKEY = '00000000-0000-4000-8000-000000000001';
/** Variants of the throughput phases and of the event-loop phase (no floor: it exports nothing). */
const PHASE_VARIANTS = {
  steady: ['official-plain', 'official-gzip', 'ours', 'ours-persist', 'floor'],
  cold: ['official-plain', 'official-gzip', 'ours', 'ours-persist'],
  eventloop: ['official-plain', 'official-gzip', 'ours', 'ours-persist'],
};

/** Forks a guarded child; resolves with its messages, exit code and stderr. */
function runChild(script, { env, extraPreloads = [], onMessage, timeoutMillis }) {
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
    const timer = setTimeout(() => { stderr += `\n[bench] killed after ${timeoutMillis} ms\n`; child.kill('SIGKILL'); }, timeoutMillis);
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
  const port = CONFIG.oursScheme === 'https' ? sink.httpsPort : sink.httpPort;
  return `InstrumentationKey=${IKEY};IngestionEndpoint=${CONFIG.oursScheme}://127.0.0.1:${port}`;
}

/** One child of one phase; returns its run record (with the sink's counters) or `notAvailable`. */
async function runOne(phase, variant, round, sink, cert) {
  const env = { ...baseChildEnv(), BENCH_BATCH_SIZE: String(CONFIG.batchSize) };
  let script;
  let timeoutMillis = 120_000;
  if (phase === 'eventloop') {
    script = path.join(__dirname, 'child', 'event-loop.js');
    const el = CONFIG.eventLoop;
    Object.assign(env, { BENCH_EL_SECONDS: String(el.seconds), BENCH_EL_WARMUP_SECONDS: String(el.warmupSeconds), BENCH_EL_RATE: String(el.rate) });
    timeoutMillis = (el.seconds + el.warmupSeconds) * 1000 + 90_000;
  } else {
    const p = phase === 'steady' ? CONFIG.steady : CONFIG.cold;
    script = path.join(__dirname, 'child', variant === 'floor' ? 'floor.js' : 'run-exporter.js');
    Object.assign(env, { BENCH_SPAN_COUNT: String(p.spans), BENCH_WARMUP_SPANS: String(p.warmupSpans ?? 0) });
  }
  const extraPreloads = [];
  if (variant !== 'floor') {
    env.BENCH_VARIANT = variant;
    env.BENCH_CONNECTION_STRING = connectionStringFor(variant, sink);
    env.NODE_EXTRA_CA_CERTS = cert.certFile;
    if (variant.startsWith('official')) Object.assign(env, OFFICIAL_ENV);
    if (variant === 'official-gzip') { env.BENCH_HOST_ALIAS = GZIP_HOST_ALIAS; extraPreloads.push(HOST_ALIAS_PRELOAD); }
    await sink.request('reset');
  }
  const onMessage = (m, proc) => {
    if (m?.type === 'warmed') void sink.request('reset').then(() => proc.send({ type: 'go' }));
  };
  const child = await runChild(script, { env, extraPreloads, onMessage, timeoutMillis });
  const guardLines = child.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER));
  const notAvailable = child.messages.find((m) => m.type === 'not-available');
  if (notAvailable || child.code === EXIT_NOT_AVAILABLE) return { phase, variant, round, notAvailable: notAvailable?.reason ?? 'not available', guardLines };
  const result = child.messages.find((m) => m.type === 'result');
  const run = { phase, round, ...result, exitCode: child.code, signal: child.signal, processMillis: child.processMillis, guardLines, stderr: child.stderr.trim().slice(0, 2000) };
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
  // The official exporter may lose items in the event-loop phase (its last export can still be in
  // flight when its process ends: it has no forceFlush); that is its figure, shown in the table.
  const lossIsAFigure = run.phase === 'eventloop' && run.variant?.startsWith('official');
  if (run.items !== run.expectedItems && !lossIsAFigure) p.push(`items received ${run.items} != sent ${run.expectedItems} (lost ${run.expectedItems - run.items})`);
  if (run.failedBatches) p.push(`${run.failedBatches} export callbacks reported FAILED: ${run.failedReasons?.join('; ')}`);
  if (run.sinkParseErrors) p.push(`${run.sinkParseErrors} request bodies the sink could not parse`);
  if (run.sinkBadRequests) p.push(`${run.sinkBadRequests} requests to unexpected paths`);
  if (run.variant && run.variant !== 'floor' && run.requests && run.bearerRequests !== run.requests) p.push(`${run.requests - run.bearerRequests} requests without a Bearer token`);
  if (run.variant === 'official-gzip' && run.requests && run.gzipRequests !== run.requests) p.push(`only ${run.gzipRequests}/${run.requests} requests gzipped`);
  if (run.variant?.startsWith('ours') && run.getTokenCalls !== 1) p.push(`${run.getTokenCalls} getToken calls (expected 1)`);
  if (run.shutdownError) p.push(`shutdown: ${run.shutdownError}`);
  return p;
}

/** Rotates (and every other round reverses) the exporters' order; the floor runs last. */
function orderFor(variants, round) {
  const measured = variants.filter((v) => v !== 'floor');
  const k = round % measured.length;
  const rotated = [...measured.slice(k), ...measured.slice(0, k)];
  if (round % 2 === 1) rotated.reverse();
  return variants.includes('floor') ? [...rotated, 'floor'] : rotated;
}

async function runPhase(phase, sink, cert, notRun) {
  const rounds = phase === 'steady' ? CONFIG.steady.rounds : phase === 'cold' ? CONFIG.cold.rounds : CONFIG.eventLoop.rounds;
  const variants = PHASE_VARIANTS[phase].filter((v) => CONFIG.variants.includes(v));
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    const parts = [];
    for (const variant of orderFor(variants, round).filter((v) => !notRun[v])) {
      const run = await runOne(phase, variant, round, sink, cert);
      if (run.notAvailable) {
        notRun[variant] = run.notAvailable;
        parts.push(`${variant}: NOT AVAILABLE`);
        if (run.guardLines.length) runs.push({ ...run, problems: [`network guard: ${run.guardLines.join(' / ')}`] });
        continue;
      }
      runs.push(run);
      const figure = phase === 'eventloop'
        ? `p99 ${report.fmt(run.eventLoop?.p99Millis, 2)} ms max ${report.fmt(run.eventLoop?.maxMillis, 2)} ms`
        : `${report.fmt(run.cpuMicros / run.spans, 2)} us/span`;
      parts.push(`${variant} ${figure}${run.problems.length ? ' INVALID' : ''}`);
    }
    console.log(`${phase} round ${round + 1}/${rounds}: ${parts.join(', ')}`);
  }
  const summaries = {};
  for (const v of variants) {
    const valid = runs.filter((r) => r.variant === v && r.problems.length === 0);
    if (valid.length) summaries[v] = phase === 'eventloop' ? report.summarizeEventLoop(v, valid) : report.summarize(v, valid);
  }
  return { runs, summaries };
}

const ORDER = ['ours', 'ours-persist', 'official-plain', 'official-gzip', 'floor'];
const ordered = (summaries) => ORDER.map((v) => summaries?.[v]).filter(Boolean);

/** The generated markdown: context line, three tables, the floor's breakdown, targets. */
function markdown({ context, phases, targets, notRun, valid }) {
  const c = CONFIG;
  const out = [];
  out.push(`Run of ${context.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${context.cpu}, Node ${context.node}${c.quick ? ', QUICK mode' : ''}; load average at start ${context.loadAverage}. ${valid ? 'Every run valid (all items delivered, no NETWORK GUARD line).' : '**Some runs were invalid: see the console output.**'}`);
  if (phases.steady) {
    out.push('', `**Steady state**: ${report.fmt(c.steady.spans, 0)} spans measured after ${report.fmt(c.steady.warmupSpans, 0)} warm-up spans, batches of ${c.batchSize}, medians of ${c.steady.rounds} round(s), ours over ${c.oursScheme}.`, '');
    out.push(report.throughputTable(ordered(phases.steady.summaries)));
    const f = phases.steady.summaries.floor;
    if (f) out.push('', `Floor breakdown (us/span): JSON ${report.fmt(f.jsonCpuMicrosPerSpan, 2)} + gzip-6 ${report.fmt(f.gzip6CpuMicrosPerSpan, 2)} = ${report.fmt(f.cpuMicrosPerSpan, 2)}; JSON + gzip-1 would be ${report.fmt(f.jsonCpuMicrosPerSpan + f.gzip1CpuMicrosPerSpan, 2)} (${report.fmt(f.gzip1BytesPerSpan, 1)} B/span); our mapper on the same spans ${report.fmt(f.mapCpuMicrosPerSpan, 2)}; uncompressed ${report.fmt(f.rawBytesPerSpan, 1)} B/span.`);
  }
  if (phases.cold) {
    out.push('', `**Cold**: ${report.fmt(c.cold.spans, 0)} spans from a fresh process, medians of ${c.cold.rounds} rounds.`, '');
    out.push(report.throughputTable(ordered(phases.cold.summaries)));
  }
  if (phases.eventloop) {
    out.push('', `**Event loop**: ${report.fmt(c.eventLoop.rate, 0)} spans/s through the SDK's BatchSpanProcessor (defaults) for ${c.eventLoop.seconds} s after ${c.eventLoop.warmupSeconds} s of warm-up (shown separately as "first seconds"), monitorEventLoopDelay at 1 ms resolution; ${c.eventLoop.rounds} run(s) per exporter (median p50/p99, highest max). App CPU includes creating the spans.`, '');
    out.push(report.eventLoopTable(ordered(phases.eventloop.summaries)));
  }
  out.push('', '**Targets** (for `ours`, judged against `official-plain`, the official exporter without gzip, its cheaper mode):', '');
  out.push(report.targetsTable(targets));
  const missing = Object.entries(notRun);
  if (missing.length) out.push('', ...missing.map(([v, reason]) => `Not run: \`${v}\`: ${reason}.`));
  return out.join('\n');
}

async function main() {
  const startedAt = new Date();
  const loadAverage = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`appinsights-otel bench${QUICK ? ' (QUICK)' : ''}: phases ${CONFIG.phases.join(', ')}; node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load ${loadAverage}`);
  const cert = await createSinkCertificate(GZIP_HOST_ALIAS);
  const sink = await startSink(cert);
  console.log(`sink: http://127.0.0.1:${sink.httpPort} https://127.0.0.1:${sink.httpsPort} (process ${sink.child.pid}); ours over ${CONFIG.oursScheme}`);

  const phases = {};
  const notRun = {};
  try {
    for (const phase of ['steady', 'cold', 'eventloop']) {
      if (CONFIG.phases.includes(phase)) phases[phase] = await runPhase(phase, sink, cert, notRun);
    }
  } finally {
    sink.child.removeAllListeners('exit');
    sink.child.disconnect();
    await new Promise((r) => { if (sink.child.exitCode !== null) r(); else { sink.child.once('exit', r); setTimeout(() => { sink.child.kill(); r(); }, 2000).unref(); } });
    cert.remove();
  }

  const runs = Object.values(phases).flatMap((p) => p.runs);
  const invalid = runs.filter((r) => r.problems.length > 0);
  const sinkGuardLines = sink.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER));
  const safetyProblems = [...guard.violations.map((v) => `bench runner: ${v}`), ...sinkGuardLines.map((l) => `sink: ${l}`)];
  const valid = invalid.length === 0 && safetyProblems.length === 0;
  const targets = report.targets({ steady: phases.steady?.summaries, cold: phases.cold?.summaries, eventLoop: phases.eventloop?.summaries });
  const context = { ...report.runContext(startedAt), loadAverage };
  const md = markdown({ context, phases, targets, notRun, valid });

  console.log('\n' + md + '\n');
  console.log('Variants:\n' + [...new Set(runs.map((r) => `  ${r.variant}: ${r.exporter}`))].join('\n'));
  if (!valid) {
    console.log('\nINVALID RUNS:');
    for (const r of invalid) console.log(`  ${r.phase} round ${r.round + 1} ${r.variant}: ${r.problems.join('; ')}`);
    for (const p of safetyProblems) console.log(`  ${p}`);
  } else {
    console.log('\nNo NETWORK GUARD line in any bench process; every run delivered every item.');
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = {
    ...context, config: CONFIG, targets, notRun, valid, safetyProblems, markdown: md,
    summaries: Object.fromEntries(Object.entries(phases).map(([k, p]) => [k, p.summaries])),
    runs: runs.map(({ stderr, ...r }) => ({ ...r, stderr: stderr || undefined })),
  };
  const file = path.join(RESULTS_DIR, 'latest.json');
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
  if (WRITE_DOCS) {
    writeDocsBlock(DOCS_FILE, md);
    console.log(`replaced the generated block of ${path.relative(process.cwd(), DOCS_FILE)}`);
  }
  if (!valid) process.exitCode = 1;
  else if (notRun.ours) { console.log('\nexit 2: our exporter was requested but not measured'); process.exitCode = 2; }
}

main().catch((error) => { console.error(`bench failed: ${error?.stack ?? error}`); process.exitCode = 1; });
