'use strict';
/**
 * The distro's own cost per request, without the app, the instrumentation packages or the machine's
 * load swings between processes: `useAzureMonitor()` with its defaults, sending to a sink on
 * 127.0.0.1 (a child process), and a loop of requests shaped like the bench app's, built through the
 * OTel API with the attributes the instrumentations set: a SERVER span (express route), a pg CLIENT
 * span, an http.get CLIENT span, and (`--items default`, the default) a fetch CLIENT span and a
 * winston-like log record, as `@opentelemetry/winston-transport` emits it. `--items official-set`
 * leaves the fetch span and the log record out. What it measures is span creation, the SDK, our
 * processors (operation names, the tap, Live Metrics, standard metrics), the batch processors and
 * the exporters (mapping, JSON, gzip, delivery): everything per item that we own or choose.
 *
 *   node bench/src/app/pipeline-bench.js [--items default|official-set] [--requests 5000] [--runs 5] [--dist <packages dir>]
 *
 * Prints the median CPU µs per request (process.cpuUsage, user + system) over the runs, each run
 * after a warm-up, flushed (forceFlush) inside the measurement so the export is counted. `--dist`
 * loads the distro from another tree's `packages/` (A/B against a copy of the build before a change:
 * alternate child processes A, B, A, B ... with `pipeline-ab.js`). `--cpu-prof` works as usual.
 */
const path = require('node:path');
const { spawn } = require('node:child_process');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ITEMS = arg('items', 'default');
const REQUESTS = Number(arg('requests', '5000'));
const RUNS = Number(arg('runs', '5'));
const DIST = arg('dist', undefined);
const IKEY = '11111111-2222-4333-8444-555555555555';

/** A child process answering every ingestion POST with 200 and Live Metrics pings with "not subscribed". */
function startSink() {
  const code = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (req.url.includes('QuickPulseService') || req.url.includes('/live/')) {
          res.writeHead(200, { 'x-ms-qps-subscribed': 'false', 'content-type': 'application/json' });
          res.end('{}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [] }));
      });
    });
    server.listen(0, '127.0.0.1', () => process.send(server.address().port));
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (port) => resolve({ port, stop: () => child.disconnect() })));
}

const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const sink = await startSink();
  const distroPath = DIST ? path.resolve(DIST, 'distro') : '@appinsights-otel/distro';
  const distro = require(distroPath);
  const endpoint = `http://127.0.0.1:${sink.port}/`;
  distro.useAzureMonitor({ connectionString: `InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`, disableOfflineStorage: true });
  // The API the distro registered (its own copy when --dist points elsewhere).
  const req = require('node:module').createRequire(require.resolve(distroPath));
  const api = req('@opentelemetry/api');
  const logsApi = req('@opentelemetry/api-logs');
  const { request } = require('./pipeline-request').createRequestShape(api, logsApi, ITEMS);
  const runOnce = async (count) => {
    for (let i = 0; i < count; i++) {
      request(i);
      // Paced like a busy app (at most 10 requests per 2 ms): the batch processors and the exporters keep up.
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await api.trace.getTracerProvider().getDelegate?.().forceFlush?.();
  };
  await runOnce(Math.min(REQUESTS, 5_000));
  const perRequest = [];
  for (let run = 0; run < RUNS; run++) {
    const before = cpuNow();
    await runOnce(REQUESTS);
    perRequest.push((cpuNow() - before) / REQUESTS);
  }
  await distro.shutdownAzureMonitor();
  sink.stop();
  const result = { items: ITEMS, dist: DIST ?? 'packages', cpuMicrosPerRequest: median(perRequest), runs: perRequest.map((v) => Math.round(v * 10) / 10) };
  if (process.send) process.send(result);
  else console.log(JSON.stringify(result));
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
