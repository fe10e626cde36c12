'use strict';
/**
 * `npm run bench:drain`: does "an hour of backlog drain in about a minute when ingestion accepts
 * it" (DESIGN.md section 6)?
 *
 * 1. Backlog: for each scenario, a producer process runs our AzureMonitorTraceExporter (defaults,
 *    `storageDirectory` in a private temp dir) over an hour of spans while the sink answers 503
 *    `Retry-After: 3600`, so the product itself writes every request into its offline store.
 *    The store is then read back and checked (names, sizes, gzip, item counts, every item parsed,
 *    no lease or temp file) and its size compared with the default 50 MiB bound.
 * 2. Drain: for each scenario and sink latency, a copy of that store, a fresh exporter process
 *    (product defaults: 4 sends in flight, gzip bodies sent as stored) and the sink accepting
 *    with 200. Timed from the fork until the sink has every item and the directory is empty.
 * 3. A table, PASS/FAIL per drain (<= 90 s from process start), bench/results/drain-latest.json.
 *    Exit 1 if any item was lost or duplicated or anything else made a run invalid (see
 *    docs/benchmark.md); a FAIL of the 90 s target alone is printed and does not change the exit code.
 *
 * Safety: every process (this one, the sink, each producer and drainer) runs with
 * <repoRoot>/scripts/network-guard.cjs preloaded; only 127.0.0.1 is used; temp dirs are removed
 * at the end (also on SIGINT/SIGTERM); every wait and loop is bounded.
 *
 * env: BENCH_DRAIN_SCENARIOS (comma list of bsp,full; default both),
 *      BENCH_DRAIN_LATENCIES_MS (comma list of sink response latencies; default 0,100,250),
 *      BENCH_DRAIN_SPANS_PER_SECOND (default 50), BENCH_DRAIN_MAX_SECONDS (cap per drain, default 100),
 *      BENCH_DRAIN_MAX_CONCURRENT_SENDS (unset: the product default; set: that many sends in flight,
 *      to measure a proposed default; the output says so)
 */
const { NETWORK_GUARD, RESULTS_DIR } = require('../paths');
const { baseChildEnv } = require('../child-env');
const guard = require(NETWORK_GUARD).install(); // idempotent if already preloaded via --require

const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createSinkCertificate } = require('../tls-cert');
const { inspectStore } = require('./items');
const { hourTotals } = require('./hour-workload');
const report = require('./report');
const sharedReport = require('../report');
const { CONFIG_DEFAULTS, DEFAULT_MAX_CONCURRENT_SENDS } = require('@appinsights-otel/core'); // built dist

const TARGET_MILLIS = 90_000;
const SPANS_PER_SECOND = Number(process.env.BENCH_DRAIN_SPANS_PER_SECOND ?? 50);
const LATENCIES = (process.env.BENCH_DRAIN_LATENCIES_MS ?? '0,100,250').split(',').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n >= 0);
const MAX_DRAIN_MILLIS = 1000 * Number(process.env.BENCH_DRAIN_MAX_SECONDS ?? 100);
const CONCURRENCY_OVERRIDE = Number(process.env.BENCH_DRAIN_MAX_CONCURRENT_SENDS) > 0 ? Number(process.env.BENCH_DRAIN_MAX_CONCURRENT_SENDS) : undefined;
const POLL_MILLIS = 10;
const PRODUCE_TIMEOUT_MILLIS = 120_000;
const CHILD_READY_TIMEOUT_MILLIS = 15_000;
const CHILD_FINISH_TIMEOUT_MILLIS = 15_000;
const GUARD_MARKER = 'NETWORK GUARD';
const IKEY = '00000000-0000-4000-8000-000000000002';
const SCENARIOS = {
  // The SDK's BatchSpanProcessor defaults: an export every 5 s (scheduledDelayMillis), at once when
  // 512 spans (maxExportBatchSize) are queued. Below 102.4 spans/s that is one export per 5 s tick.
  bsp: {
    exportBatch: (sps) => Math.min(512, Math.round(5 * sps)), seed: 0x5eed01,
    describe: (sps) => `${sps} spans/s for an hour as the SDK's default BatchSpanProcessor exports them (${5 * sps < 512 ? `one export per 5 s tick: ${Math.round(5 * sps)} spans` : 'full 512-span exports'})`,
  },
  full: {
    exportBatch: () => 512, seed: 0x5eed02,
    describe: (sps) => `the same ${sps} spans/s hour in full 512-span exports (the BatchSpanProcessor's maximum batch)`,
  },
};
const SCENARIO_NAMES = (process.env.BENCH_DRAIN_SCENARIOS ?? 'bsp,full').split(',').map((s) => s.trim()).filter((s) => SCENARIOS[s]);

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
/** A sleep that does not keep the process alive (for races against other events). */
const unrefSleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis).unref());
const children = new Set();
let tempRoot;
let cert;


/** Forks a guarded child; the handle collects messages and stderr, and kills it after `hardLimitMillis`. */
function spawn(script, env, hardLimitMillis) {
  const child = fork(script, [], { env, execArgv: ['--require', NETWORK_GUARD], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(child);
  const handle = { child, stderr: '', stdout: '', messages: [], forkedAt: Date.now() };
  child.stderr.on('data', (d) => { handle.stderr += d; });
  child.stdout.on('data', (d) => { handle.stdout += d; });
  const waiters = [];
  child.on('message', (m) => {
    handle.messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const killer = setTimeout(() => { handle.stderr += `\n[bench] killed after ${hardLimitMillis} ms\n`; child.kill('SIGKILL'); }, hardLimitMillis);
  handle.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(killer);
    children.delete(child);
    handle.exitCode = code; handle.signal = signal;
    for (const w of waiters.splice(0)) w();
    resolve();
  }));
  /** The first message of `type`, or undefined once the child exits or `millis` pass. */
  handle.waitFor = async (type, millis) => {
    const until = Date.now() + millis;
    for (let i = 0; i < 10_000; i++) {
      const found = handle.messages.find((m) => m?.type === type);
      if (found || handle.exitCode !== undefined || Date.now() >= until) return found;
      await Promise.race([new Promise((resolve) => waiters.push(resolve)), unrefSleep(Math.max(1, until - Date.now()))]);
    }
    return undefined;
  };
  handle.guardLines = () => handle.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER));
  return handle;
}

function startSink() {
  return new Promise((resolve, reject) => {
    const env = { ...baseChildEnv(), BENCH_SINK_CERT: cert.certFile, BENCH_SINK_KEY: cert.keyFile };
    const child = fork(path.join(__dirname, 'sink.js'), [], { env, execArgv: ['--require', NETWORK_GUARD], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    children.add(child);
    const sink = { child, stderr: '', pending: new Map(), nextId: 1 };
    child.stderr.on('data', (d) => { sink.stderr += d; });
    child.on('message', (m) => {
      if (m.type === 'ready') {
        if (m.guardActive !== true) { child.kill(); reject(new Error('network guard not active in the sink')); return; }
        sink.port = m.port; resolve(sink); return;
      }
      const p = sink.pending.get(m.id);
      if (p) { sink.pending.delete(m.id); p(m); }
    });
    child.on('exit', (code) => {
      children.delete(child);
      for (const p of sink.pending.values()) p({ type: 'gone' });
      sink.pending.clear();
      reject(new Error(`sink exited early (${code}): ${sink.stderr}`));
    });
    sink.request = (type, extra = {}) => new Promise((res) => {
      if (!child.connected) { res({ type: 'gone' }); return; }
      const id = sink.nextId++;
      sink.pending.set(id, res);
      child.send({ type, id, ...extra });
    });
  });
}

function childEnv(sink, storeDir, extra = {}) {
  return {
    ...baseChildEnv(),
    BENCH_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=https://127.0.0.1:${sink.port}`,
    BENCH_STORE_DIR: storeDir,
    NODE_EXTRA_CA_CERTS: cert.certFile,
    ...(CONCURRENCY_OVERRIDE ? { BENCH_DRAIN_MAX_CONCURRENT_SENDS: String(CONCURRENCY_OVERRIDE) } : {}),
    ...extra,
  };
}

/** Step 1: the product writes the backlog (sink down). Producers of all scenarios run at once. */
async function produceAll(sink, maxBytes) {
  await sink.request('reset', { mode: 'down' });
  const started = SCENARIO_NAMES.map((name) => {
    const s = SCENARIOS[name];
    const dir = path.join(tempRoot, `store-${name}`);
    const handle = spawn(path.join(__dirname, 'child', 'produce.js'), childEnv(sink, dir, {
      BENCH_SPANS_PER_SECOND: String(SPANS_PER_SECOND), BENCH_EXPORT_BATCH: String(s.exportBatch(SPANS_PER_SECOND)), BENCH_SEED: String(s.seed),
    }), PRODUCE_TIMEOUT_MILLIS);
    return { name, s, dir, handle };
  });
  const stores = [];
  for (const { name, s, dir, handle } of started) {
    await handle.exited;
    const result = handle.messages.find((m) => m?.type === 'result');
    const totals = hourTotals(SPANS_PER_SECOND);
    const problems = [];
    if (!result) problems.push(`producer ended without a result (exit ${handle.exitCode}${handle.signal ? ', ' + handle.signal : ''}): ${handle.stderr.trim().slice(0, 1000)}`);
    else {
      if (result.guardActive !== true) problems.push('network guard was not active in the producer');
      if (result.spans !== totals.spans || result.events !== totals.events) problems.push(`producer exported ${result.spans} spans + ${result.events} events, expected ${totals.spans} + ${totals.events}`);
      if (result.failedExports) problems.push(`${result.failedExports} exports reported FAILED: ${result.failures.join('; ')}`);
      if (result.shutdownError) problems.push(`producer shutdown: ${result.shutdownError}`);
    }
    if (handle.guardLines().length) problems.push(`network guard (producer): ${handle.guardLines().join(' / ')}`);
    let store;
    try {
      store = inspectStore(dir);
      const expectedItems = totals.spans + totals.events;
      if (store.problems.length) problems.push(...store.problems.slice(0, 5));
      if (store.leases || store.temps || store.strangers) problems.push(`store holds ${store.leases} leases, ${store.temps} temp files, ${store.strangers} other files`);
      if (store.items.items !== expectedItems || store.items.distinct !== expectedItems) problems.push(`store holds ${store.items.items} items (${store.items.distinct} distinct), expected ${expectedItems}`);
      if (store.bytes > maxBytes) problems.push(`store holds ${store.bytes} bytes, over the default bound of ${maxBytes}`);
    } catch (error) {
      problems.push(`could not read the store: ${error?.message ?? error}`);
    }
    stores.push({
      name, describe: s.describe(SPANS_PER_SECOND), exportBatch: s.exportBatch(SPANS_PER_SECOND), dir, maxBytes,
      spans: result?.spans, events: result?.events, exports: result?.exports, produceMillis: result?.wallMillis,
      producerCpuMicros: result?.cpuMicros, producerShutdownMillis: result?.shutdownMillis, store, problems,
      producerStderr: handle.stderr.trim().slice(0, 2000) || undefined, // the exporter's own 503 diagnostic is expected here
    });
  }
  const sinkStats = (await sink.request('stats')).stats;
  return { stores, refusedRequests: sinkStats?.refusedRequests, sinkRequests: sinkStats?.requests };
}

/** Step 2: one measured drain of a copy of `store`. */
async function drainOnce(sink, store, latencyMillis, index) {
  const dir = path.join(tempRoot, `drain-${index}-${store.name}-${latencyMillis}ms`);
  fs.cpSync(store.dir, dir, { recursive: true });
  const expectedItems = store.store.items.distinct;
  const expectedFiles = fs.readdirSync(dir).length;
  await sink.request('reset', { mode: 'up', latencyMillis });
  const handle = spawn(path.join(__dirname, 'child', 'drain.js'), childEnv(sink, dir), MAX_DRAIN_MILLIS + CHILD_FINISH_TIMEOUT_MILLIS + 10_000);
  const forkedAt = handle.forkedAt;
  const problems = [];
  let doneAt; let itemsCompleteAt; let dirEmptyAt; let polls = 0; let lastProgress;
  const maxPolls = Math.ceil(MAX_DRAIN_MILLIS / POLL_MILLIS) + 1;
  for (; polls < maxPolls; polls++) {
    const now = Date.now();
    lastProgress = await sink.request('progress');
    if (lastProgress.type === 'gone') { problems.push('the sink exited during the drain'); break; }
    const left = fs.readdirSync(dir).length;
    if (lastProgress.items >= expectedItems && itemsCompleteAt === undefined) itemsCompleteAt = lastProgress.lastResponseAt ?? now;
    if (left === 0 && dirEmptyAt === undefined) dirEmptyAt = now;
    if (itemsCompleteAt !== undefined && dirEmptyAt !== undefined) { doneAt = Math.max(itemsCompleteAt, dirEmptyAt); break; }
    if (handle.exitCode !== undefined) { problems.push(`the drainer exited early (exit ${handle.exitCode})`); break; }
    if (now - forkedAt >= MAX_DRAIN_MILLIS) break;
    await sleep(POLL_MILLIS);
  }
  const leftOver = fs.readdirSync(dir);
  if (doneAt === undefined && !problems.length) {
    problems.push(`not drained within ${MAX_DRAIN_MILLIS / 1000} s: sink has ${lastProgress?.items} of ${expectedItems} items, ${leftOver.length} of ${expectedFiles} files left`);
  }
  const ready = await handle.waitFor('ready', CHILD_READY_TIMEOUT_MILLIS);
  if (handle.exitCode === undefined) handle.child.send({ type: 'finish' });
  const drainer = await handle.waitFor('result', CHILD_FINISH_TIMEOUT_MILLIS);
  await Promise.race([handle.exited, unrefSleep(CHILD_FINISH_TIMEOUT_MILLIS)]);
  if (handle.exitCode === undefined) handle.child.kill('SIGKILL');
  const sinkStats = (await sink.request('stats')).stats;
  if (!ready) problems.push(`the drainer never reported ready: ${handle.stderr.trim().slice(0, 1000)}`);
  else if (ready.guardActive !== true) problems.push('network guard was not active in the drainer');
  if (!drainer) problems.push(`the drainer sent no result: ${handle.stderr.trim().slice(0, 1000)}`);
  else if (drainer.shutdownError) problems.push(`drainer shutdown: ${drainer.shutdownError}`);
  if (handle.guardLines().length) problems.push(`network guard (drainer): ${handle.guardLines().join(' / ')}`);
  if (sinkStats) {
    const got = sinkStats.itemSet;
    if (got.distinct !== expectedItems) problems.push(`items lost: the sink got ${got.distinct} distinct items of ${expectedItems} written`);
    if (got.duplicates > 0) problems.push(`${got.duplicates} duplicate items at the sink`);
    if (got.digest !== store.store.items.digest) problems.push('the set of items received differs from the set written (digest mismatch)');
    if (sinkStats.parseErrors) problems.push(`${sinkStats.parseErrors} request bodies the sink could not parse`);
    if (sinkStats.badRequests) problems.push(`${sinkStats.badRequests} requests to unexpected paths`);
    if (sinkStats.requests !== sinkStats.okRequests) problems.push(`${sinkStats.requests - sinkStats.okRequests} requests not answered 200`);
    if (sinkStats.bearerRequests !== sinkStats.requests) problems.push(`${sinkStats.requests - sinkStats.bearerRequests} requests without a Bearer token`);
    if (sinkStats.gzipRequests !== sinkStats.requests) problems.push(`${sinkStats.requests - sinkStats.gzipRequests} requests not gzipped`);
  } else {
    problems.push('no stats from the sink');
  }
  if (leftOver.length) problems.push(`${leftOver.length} files left in the store directory`);
  const fromExporterMillis = doneAt !== undefined && ready ? doneAt - ready.constructedAt : undefined;
  const run = {
    backlog: store.name, latencyMillis, dir: path.basename(dir), expectedItems, expectedFiles,
    forkedAt, constructedAt: ready?.constructedAt, itemsCompleteAt, dirEmptyAt, doneAt, polls,
    startupMillis: ready ? ready.constructedAt - forkedAt : undefined,
    fromProcessStartMillis: doneAt !== undefined ? doneAt - forkedAt : undefined,
    fromExporterMillis,
    firstRequestAfterMillis: sinkStats?.firstRequestAt && ready ? sinkStats.firstRequestAt - ready.constructedAt : undefined,
    requestsPerSecond: fromExporterMillis ? sinkStats?.okRequests / (fromExporterMillis / 1000) : undefined,
    itemsPerSecond: fromExporterMillis ? expectedItems / (fromExporterMillis / 1000) : undefined,
    cpuPercentOfCore: fromExporterMillis && drainer ? (100 * drainer.cpuMicros) / (fromExporterMillis * 1000) : undefined,
    latencyBoundMillis: (expectedFiles * latencyMillis) / (CONCURRENCY_OVERRIDE ?? DEFAULT_MAX_CONCURRENT_SENDS),
    drainer, sink: sinkStats, problems,
    drainerStderr: handle.stderr.trim().slice(0, 2000) || undefined,
  };
  run.pass = problems.length === 0 && run.fromProcessStartMillis !== undefined && run.fromProcessStartMillis <= TARGET_MILLIS;
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

function cleanup() {
  for (const child of children) { try { child.kill('SIGKILL'); } catch { /* gone */ } }
  if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  if (cert) cert.remove();
}

async function main() {
  const startedAt = new Date();
  const totals = hourTotals(SPANS_PER_SECOND);
  const sends = CONCURRENCY_OVERRIDE ?? DEFAULT_MAX_CONCURRENT_SENDS;
  console.log(`appinsights-otel drain bench: node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);
  console.log(`"An hour of backlog": a service producing ${SPANS_PER_SECOND} spans/s (${report.fmt(totals.spans)} spans + ${report.fmt(totals.events)} span events = ${report.fmt(totals.spans + totals.events)} items in an hour)`);
  console.log('whose exporter could not reach ingestion, so our exporter wrote every request into its offline store.');
  console.log(CONCURRENCY_OVERRIDE
    ? `Drain: a fresh process with our exporter's defaults EXCEPT ${CONCURRENCY_OVERRIDE} sends in flight (BENCH_DRAIN_MAX_CONCURRENT_SENDS; the product default is ${DEFAULT_MAX_CONCURRENT_SENDS}); target <= ${TARGET_MILLIS / 1000} s from process start.\n`
    : `Drain: a fresh process with our exporter's defaults (${DEFAULT_MAX_CONCURRENT_SENDS} sends in flight, bodies sent as stored); target <= ${TARGET_MILLIS / 1000} s from process start.\n`);

  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-otel-drain-bench-'));
  cert = await createSinkCertificate('localhost');
  const sink = await startSink();
  const runs = [];
  let produced;
  try {
    produced = await produceAll(sink, CONFIG_DEFAULTS.storageMaxBytes);
    for (const s of produced.stores) console.log(`backlog ${s.name}: ${s.describe}${s.problems.length ? ' INVALID: ' + s.problems.join('; ') : ''}`);
    console.log('');
    console.log(report.storeTable(produced.stores.filter((s) => s.store)));
    console.log(`(written by the product while the sink answered 503 Retry-After: 3600: ${produced.refusedRequests} requests reached the sink during the outage; the rest went straight to the store)\n`);
    let index = 0;
    for (const latencyMillis of LATENCIES) {
      for (const store of produced.stores) {
        if (store.problems.length) continue;
        const run = await drainOnce(sink, store, latencyMillis, index++);
        runs.push(run);
        console.log(`drain ${run.backlog} @ ${latencyMillis} ms: ${report.fmt(run.fromProcessStartMillis / 1000, 2)} s${run.problems.length ? ' INVALID: ' + run.problems.join('; ') : ''}`);
        if (run.drainerStderr) console.log(`  drainer stderr: ${run.drainerStderr.slice(0, 500)}`);
      }
    }
  } finally {
    sink.child.removeAllListeners('exit');
    if (sink.child.connected) sink.child.disconnect();
    await new Promise((r) => { if (sink.child.exitCode !== null) r(); else { sink.child.once('exit', r); setTimeout(() => { sink.child.kill(); r(); }, 2000).unref(); } });
    cleanup();
  }

  console.log('\nDrains (each a fresh exporter process on a copy of the backlog; sink latency = delay before each 200, modelling ingestion\'s response time):\n');
  console.log(report.drainTable(runs));
  const latencyRuns = runs.filter((r) => r.latencyMillis > 0);
  if (latencyRuns.length) {
    console.log(`\nWith latency L per request and ${sends} sends in flight, a drain of N requests takes at least N x L / ${sends}: ${latencyRuns.map((r) => `${r.backlog} @ ${r.latencyMillis} ms >= ${report.fmt(r.latencyBoundMillis / 1000, 1)} s`).join(', ')}.`);
    const perFile = Math.max(...produced.stores.map((s) => s.store?.files ?? 0));
    console.log(`The 90 s target then allows up to ${report.fmt((TARGET_MILLIS * sends) / perFile)} ms per request for ${perFile} requests.`);
  }

  const safetyProblems = [
    ...guard.violations.map((v) => `bench runner: ${v}`),
    ...sink.stderr.split('\n').filter((l) => l.includes(GUARD_MARKER)).map((l) => `sink: ${l}`),
    ...(sink.stderr.trim() && !sink.stderr.includes(GUARD_MARKER) ? [`sink stderr: ${sink.stderr.trim().slice(0, 500)}`] : []),
  ];
  const invalidStores = produced.stores.filter((s) => s.problems.length);
  const invalidRuns = runs.filter((r) => r.problems.length);
  const measured = runs.filter((r) => !r.problems.length);
  const worst = measured.reduce((w, r) => (w === undefined || r.fromProcessStartMillis > w.fromProcessStartMillis ? r : w), undefined);
  const allPass = measured.length > 0 && invalidRuns.length === 0 && runs.every((r) => r.pass);
  console.log('\nTarget:');
  for (const r of runs) {
    console.log(`  ${(r.problems.length ? 'INVALID' : r.pass ? 'PASS' : 'FAIL').padEnd(7)} ${r.backlog} @ ${r.latencyMillis} ms: drained in ${report.fmt(r.fromProcessStartMillis / 1000, 2)} s from process start (limit ${TARGET_MILLIS / 1000} s)`);
  }
  console.log(`${allPass ? 'PASS' : 'FAIL'}: an hour of backlog drains in about a minute (<= ${TARGET_MILLIS / 1000} s)${worst ? `: slowest drain ${report.fmt(worst.fromProcessStartMillis / 1000, 2)} s (${worst.backlog} @ ${worst.latencyMillis} ms)` : ''}${CONCURRENCY_OVERRIDE ? ` [with ${CONCURRENCY_OVERRIDE} sends in flight, NOT the product default]` : ''}`);

  if (invalidStores.length || invalidRuns.length || safetyProblems.length) {
    console.log('\nINVALID:');
    for (const s of invalidStores) console.log(`  backlog ${s.name}: ${s.problems.join('; ')}`);
    for (const r of invalidRuns) console.log(`  drain ${r.backlog} @ ${r.latencyMillis} ms: ${r.problems.join('; ')}`);
    for (const p of safetyProblems) console.log(`  ${p}`);
  } else {
    console.log('\nNo NETWORK GUARD line in any bench process; every drain delivered every item exactly once (item set digest equal, no duplicate).');
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = {
    ...sharedReport.runContext(startedAt),
    definition: {
      spansPerSecond: SPANS_PER_SECOND, hourSpans: totals.spans, hourEvents: totals.events, hourItems: totals.spans + totals.events,
      storageMaxBytes: CONFIG_DEFAULTS.storageMaxBytes, maxConcurrentSends: sends, productDefaultMaxConcurrentSends: DEFAULT_MAX_CONCURRENT_SENDS,
      concurrencyOverridden: CONCURRENCY_OVERRIDE !== undefined, targetMillis: TARGET_MILLIS,
    },
    config: { scenarios: SCENARIO_NAMES, latenciesMillis: LATENCIES, maxDrainMillis: MAX_DRAIN_MILLIS, pollMillis: POLL_MILLIS },
    backlogs: produced.stores.map(({ dir, ...s }) => ({ ...s, dir: path.basename(dir) })),
    outageRequests: produced.refusedRequests,
    drains: runs,
    pass: allPass,
    valid: !invalidStores.length && !invalidRuns.length && !safetyProblems.length,
    safetyProblems,
  };
  const file = path.join(RESULTS_DIR, 'drain-latest.json');
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
  if (!out.valid) process.exitCode = 1;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { cleanup(); process.exit(130); });
}

main().catch((error) => {
  console.error(`drain bench failed: ${error?.stack ?? error}`);
  cleanup();
  process.exitCode = 1;
});
