'use strict';
/**
 * The measured process: a fresh service start after the outage. Constructs our
 * AzureMonitorTraceExporter (built dist) with the product's defaults, pointing at the store
 * directory that holds the backlog and at the sink (now accepting). Nothing else: the exporter
 * starts draining the backlog on its own on the next turn of the event loop. Reports to the
 * parent when constructed (wall and CPU baseline), then, when asked, its CPU and peak RSS since
 * then; then shuts the exporter down (bounded) and exits. Forked by drain/run.js with the network
 * guard preloaded.
 *
 * env: BENCH_CONNECTION_STRING, BENCH_STORE_DIR, BENCH_DRAIN_MAX_CONCURRENT_SENDS (optional, NOT the
 *      product default: only to measure a proposed default; passed as the exporter's `tuning`)
 */
const api = require('@opentelemetry/api');
const { setInterval, clearInterval } = require('node:timers');
const { createCountingCredential } = require('../../fake-credential');
const { withTimeout } = require('../../measure');

const SHUTDOWN_TIMEOUT_MILLIS = 5_000;
const RSS_SAMPLE_INTERVAL_MILLIS = 20;

function main() {
  api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.WARN);
  const { AzureMonitorTraceExporter } = require('@appinsights-otel/exporter-trace');
  const { credential, calls } = createCountingCredential();
  const rssAtStart = process.memoryUsage.rss();
  let peakRss = rssAtStart;
  const cpu0 = process.cpuUsage();
  const exporter = new AzureMonitorTraceExporter({
    connectionString: process.env.BENCH_CONNECTION_STRING,
    credential,
    storageDirectory: process.env.BENCH_STORE_DIR,
    ...(process.env.BENCH_DRAIN_MAX_CONCURRENT_SENDS ? { tuning: { maxConcurrentSends: Number(process.env.BENCH_DRAIN_MAX_CONCURRENT_SENDS) } } : {}),
  });
  const constructedAt = Date.now();
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, RSS_SAMPLE_INTERVAL_MILLIS);
  process.send({
    type: 'ready', constructedAt, uptimeMillisAtReady: Math.round(process.uptime() * 1000),
    guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]),
  });
  process.on('message', (m) => {
    if (m?.type !== 'finish') return;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpu0);
    const total = process.cpuUsage();
    const report = {
      type: 'result', reportedAt: Date.now(),
      cpuMicros: cpu.user + cpu.system, userMicros: cpu.user, systemMicros: cpu.system,
      processCpuMicros: total.user + total.system,
      rssAtStartBytes: rssAtStart, peakRssBytes: peakRss,
      getTokenCalls: calls.length,
    };
    withTimeout(exporter.shutdown(), SHUTDOWN_TIMEOUT_MILLIS, 'shutdown').then(
      () => process.send(report, () => process.exit(0)),
      (error) => process.send({ ...report, shutdownError: String(error?.message ?? error) }, () => process.exit(0)),
    );
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`drain child failed: ${error?.stack ?? error}\n`);
  process.exit(1);
}
