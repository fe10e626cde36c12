'use strict';
/**
 * The cost of one instrumented call as the bench app makes it, with and without the distro: a
 * winston `logger.info` (as app-child.js logs, to /dev/null) or a `fetch` to a local downstream,
 * each inside a SERVER span when the distro is on (as in a request). Prints the median CPU µs per
 * call over the runs (process.cpuUsage; the downstream runs in a child process).
 *
 *   node bench/src/app/call-bench.js --call winston|log|fetch|express|none] [--off <instrumentation> [--distro on|off] [--calls 5000] [--runs 5]
 *
 * `--call log` emits the record winston-transport would through the logs API (no winston).
 * `--call express` serves an express app (a middleware and a route) in this process and calls it
 * over keep-alive HTTP (both ends in this process); `--off express` switches the express
 * instrumentation off, so on minus off is what it costs per request.
 * `--call none` is the request span alone (subtract it). `--distro off` gives the library's own cost; on minus off is what recording the call costs
 * (instrumentation, SDK, our processors, export). `--cpu-prof` works as usual.
 */
const { spawn } = require('node:child_process');

const { fetch } = globalThis;

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const CALL = arg('call', 'winston');
const DISTRO = arg('distro', 'on') === 'on';
const CALLS = Number(arg('calls', '5000'));
const RUNS = Number(arg('runs', '5'));
const IKEY = '11111111-2222-4333-8444-555555555555';
/** `--off <key>`: an instrumentation to switch off (e.g. express, to see what it costs). */
const OFF = arg('off', undefined);

/** A child process: the ingestion sink (200 to everything) that also serves the downstream's JSON. */
function startSink() {
  const code = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-ms-qps-subscribed': 'false' });
        res.end(req.url.startsWith('/stock/') ? '{"inStock":true}' : JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [] }));
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => process.send(server.address().port));
    process.on('disconnect', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (port) => resolve({ port, stop: () => child.disconnect() })));
}

/** An express app like app-child.js's (one middleware, a route answering JSON) in this process, called over keep-alive HTTP. */
async function expressCall() {
  const http = require('node:http');
  const express = require('express');
  const app = express();
  app.use((req, res, next) => { res.setHeader('x-app', 'bench'); next(); });
  app.get('/orders/:id', (req, res) => { res.json({ id: Number(req.params.id) }); });
  const server = http.createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { port } = server.address();
  return (i) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/orders/${i}`, agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
}

const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const sink = await startSink();
  const endpoint = `http://127.0.0.1:${sink.port}/`;
  const distro = DISTRO ? require('@appinsights-otel/distro') : undefined;
  distro?.useAzureMonitor({
    connectionString: `InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint};LiveEndpoint=${endpoint}`, disableOfflineStorage: true,
    ...(OFF ? { instrumentationOptions: { [OFF]: { enabled: false } } } : {}),
  });
  const api = require('@opentelemetry/api');
  const tracer = api.trace.getTracer('call-bench');
  let call;
  if (CALL === 'winston') {
    const fs = require('node:fs');
    const winston = require('winston');
    const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream: fs.createWriteStream('/dev/null') })] });
    call = async (i) => { logger.info('order read', { orderId: i, inStock: true }); };
  } else if (CALL === 'log') {
    const logger = require('@opentelemetry/api-logs').logs.getLogger('@opentelemetry/winston-transport', '0.34.0');
    call = async (i) => { logger.emit({ severityNumber: 9, severityText: 'info', body: 'order read', attributes: { orderId: i, inStock: true } }); };
  } else if (CALL === 'express') {
    call = await expressCall();
  } else if (CALL === 'none') {
    call = async () => {};
  } else {
    call = async (i) => { await (await fetch(`${endpoint}stock/${i}`)).json(); };
  }
  const runOnce = async (count) => {
    for (let i = 0; i < count; i++) {
      const span = tracer.startSpan('GET /orders/:id', { kind: api.SpanKind.SERVER, attributes: { 'http.method': 'GET', 'http.route': '/orders/:id', 'http.status_code': 200 } });
      await api.context.with(api.trace.setSpan(api.context.active(), span), () => call(i));
      span.end();
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const perCall = [];
  await runOnce(Math.min(CALLS, 2_000));
  for (let run = 0; run < RUNS; run++) {
    const before = cpuNow();
    await runOnce(CALLS);
    perCall.push((cpuNow() - before) / CALLS);
  }
  await distro?.shutdownAzureMonitor();
  sink.stop();
  console.log(JSON.stringify({ call: CALL, distro: DISTRO, cpuMicrosPerCall: median(perCall), runs: perCall.map((v) => Math.round(v * 10) / 10) }));
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
