'use strict';
/**
 * Writes "an hour of backlog" the way the product does: our AzureMonitorTraceExporter (built
 * dist), defaults except `storageDirectory`, exports the hour's spans batch by batch (one export
 * in flight, as the SDK's BatchSpanProcessor does) while the sink answers 503 with
 * `Retry-After: 3600`. The first request gets the 503; honouring the hint, the exporter sends
 * nothing more and persists every request body in the offline store; shutdown() then returns at
 * once (a server hint forbids flushing). Forked by drain/run.js with the network guard preloaded.
 *
 * env: BENCH_CONNECTION_STRING, BENCH_STORE_DIR, BENCH_SPANS_PER_SECOND, BENCH_EXPORT_BATCH, BENCH_SEED
 */
const api = require('@opentelemetry/api');
const { hourOfSpans, hourTotals } = require('../hour-workload');
const { createCountingCredential } = require('../../fake-credential');
const { withTimeout } = require('../../measure');

const EXPORT_TIMEOUT_MILLIS = 60_000;
const SHUTDOWN_TIMEOUT_MILLIS = 35_000;

function exportOnce(exporter, batch) {
  return new Promise((resolve) => {
    try {
      exporter.export(batch, resolve);
    } catch (error) {
      resolve({ code: 1, error });
    }
  });
}

async function main() {
  api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.WARN); // evictions and storage problems -> stderr
  const spansPerSecond = Number(process.env.BENCH_SPANS_PER_SECOND);
  const batchSize = Number(process.env.BENCH_EXPORT_BATCH);
  const seed = Number(process.env.BENCH_SEED);
  const { AzureMonitorTraceExporter } = require('@appinsights-otel/exporter-trace');
  const { credential, calls } = createCountingCredential();
  const exporter = new AzureMonitorTraceExporter({
    connectionString: process.env.BENCH_CONNECTION_STRING,
    credential,
    storageDirectory: process.env.BENCH_STORE_DIR,
  });
  const wall0 = Date.now();
  const cpu0 = process.cpuUsage();
  let exports = 0; let spans = 0; let events = 0;
  const failures = [];
  for (const batch of hourOfSpans({ spansPerSecond, batchSize, seed })) {
    exports += 1;
    spans += batch.length;
    for (const span of batch) events += span.events.length;
    const result = await withTimeout(exportOnce(exporter, batch), EXPORT_TIMEOUT_MILLIS, 'export');
    if (result?.code !== 0) failures.push(String(result?.error?.message ?? `code ${result?.code}`));
  }
  let shutdownError;
  const shutdown0 = Date.now();
  try {
    await withTimeout(exporter.shutdown(), SHUTDOWN_TIMEOUT_MILLIS, 'shutdown');
  } catch (error) {
    shutdownError = String(error?.message ?? error);
  }
  const cpu = process.cpuUsage(cpu0);
  const expected = hourTotals(spansPerSecond);
  process.send({
    type: 'result',
    exports, spans, events, expectedSpans: expected.spans, expectedEvents: expected.events,
    failedExports: failures.length, failures: [...new Set(failures)].slice(0, 5),
    wallMillis: Date.now() - wall0, shutdownMillis: Date.now() - shutdown0, cpuMicros: cpu.user + cpu.system,
    getTokenCalls: calls.length, shutdownError,
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
  }, () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`produce failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
