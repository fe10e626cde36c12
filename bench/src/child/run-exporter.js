'use strict';
/**
 * One measured run of one exporter, in a fresh process forked by run.js (network guard
 * preloaded; for the official exporter's gzip variant, the host-alias preload too).
 *
 * Builds the workload before timing, constructs the exporter with a counting fake credential,
 * then times the export of every batch (sequentially, one export in flight, as the SDK's
 * BatchSpanProcessor does) plus forceFlush(); shutdown() runs after timing, bounded to 5 s.
 * Sends { type: 'result', ... } to the parent over IPC.
 *
 * env: BENCH_VARIANT (official-plain | official-gzip | ours | ours-persist), BENCH_CONNECTION_STRING,
 *      BENCH_SPAN_COUNT, BENCH_BATCH_SIZE, BENCH_WARMUP_SPANS (0: measure from cold)
 */
const { buildWorkload, toBatches } = require('../workload');
const { createCountingCredential } = require('../fake-credential');
const { createRssSampler, startStopwatch, withTimeout } = require('../measure');

const { buildExporter, EXIT_NOT_AVAILABLE } = require('../exporters/build');

const SHUTDOWN_TIMEOUT_MILLIS = 5_000;
const EXPORT_TIMEOUT_MILLIS = 60_000;

function exportOnce(exporter, batch) {
  return new Promise((resolve) => {
    let done = false;
    const callback = (result) => {
      if (done) return; // the official exporter calls back twice per batch
      done = true;
      resolve(result ?? { code: -1 });
    };
    try {
      const returned = exporter.export(batch, callback);
      if (returned && typeof returned.catch === 'function') returned.catch((error) => callback({ code: 1, error }));
    } catch (error) {
      callback({ code: 1, error });
    }
  });
}

/**
 * BENCH_MEASURED_PROFILE_DIR: a V8 CPU profile of the measured window only (not of module
 * loading, workload building or warm-up), written there as <variant>-<pid>.cpuprofile.
 */
async function startMeasuredProfile() {
  const dir = process.env.BENCH_MEASURED_PROFILE_DIR;
  if (!dir) return undefined;
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(variant) {
      const { profile } = await post('Profiler.stop');
      require('node:fs').writeFileSync(require('node:path').join(dir, `${variant}-${process.pid}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main() {
  const variant = process.env.BENCH_VARIANT;
  const connectionString = process.env.BENCH_CONNECTION_STRING;
  const spanCount = Number(process.env.BENCH_SPAN_COUNT ?? 10_000);
  const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 512);
  const warmupSpanCount = Number(process.env.BENCH_WARMUP_SPANS ?? 0);

  const { spans, eventCount } = buildWorkload(spanCount);
  const batches = toBatches(spans, batchSize);
  const { credential, calls } = createCountingCredential();

  const built = buildExporter(variant, { connectionString, credential });
  if (built.notAvailable) {
    process.send({ type: 'not-available', reason: built.notAvailable }, () => process.exit(EXIT_NOT_AVAILABLE));
    return;
  }
  const { exporter } = built;

  if (warmupSpanCount > 0) {
    // Optional steady-state mode: export a warm-up workload first, then ask the parent to reset
    // the sink's counters and wait for its go-ahead before the measured export.
    for (const batch of toBatches(buildWorkload(warmupSpanCount).spans, batchSize)) {
      await withTimeout(exportOnce(exporter, batch), EXPORT_TIMEOUT_MILLIS, 'warm-up export');
    }
    if (typeof exporter.forceFlush === 'function') await withTimeout(exporter.forceFlush(), EXPORT_TIMEOUT_MILLIS, 'warm-up forceFlush');
    await new Promise((resolve) => {
      process.on('message', function onGo(m) { if (m?.type === 'go') { process.off('message', onGo); resolve(); } });
      process.send({ type: 'warmed' });
    });
  }

  const profiler = await startMeasuredProfile();
  const rss = createRssSampler();
  const stopwatch = startStopwatch();
  const results = [];
  for (const batch of batches) {
    results.push(await withTimeout(exportOnce(exporter, batch), EXPORT_TIMEOUT_MILLIS, 'export'));
    rss.sample();
  }
  if (typeof exporter.forceFlush === 'function') await withTimeout(exporter.forceFlush(), EXPORT_TIMEOUT_MILLIS, 'forceFlush');
  const timing = stopwatch.stop();
  const memory = rss.stop();
  await profiler?.stop(variant);

  let shutdownError;
  try {
    await withTimeout(Promise.resolve(exporter.shutdown()), SHUTDOWN_TIMEOUT_MILLIS, 'shutdown');
    await built.cleanup();
  } catch (error) {
    shutdownError = String(error?.message ?? error);
  }

  const failed = results.filter((r) => r.code !== 0);
  process.send({
    type: 'result',
    variant,
    exporter: built.describe,
    spans: spans.length,
    warmupSpans: warmupSpanCount,
    events: eventCount,
    expectedItems: spans.length + eventCount,
    batches: batches.length,
    failedBatches: failed.length,
    failedReasons: [...new Set(failed.map((r) => String(r.error?.message ?? r.error ?? `code ${r.code}`)))].slice(0, 5),
    getTokenCalls: calls.length,
    tokenScopes: [...new Set(calls)],
    ...timing,
    ...memory,
    shutdownError,
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
    hostAlias: process.env.BENCH_HOST_ALIAS,
  }, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`run-exporter failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
