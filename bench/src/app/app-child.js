'use strict';
/**
 * The benchmarked app, one fresh process per variant run (started by app/run.js with the network
 * guard preloaded). Telemetry first (BENCH_APP_SPEC, see telemetry.js), then an ordinary express app:
 * GET /orders/:id runs one middleware, queries PostgreSQL through a `pg` pool, calls the downstream
 * once with `fetch` and once with `http.get`, writes one winston log line and answers JSON.
 *
 * IPC: sends {ready, port}; on 'start' resets the CPU, request and event-loop counters; on 'stop'
 * sends what it measured since; on 'shutdown' flushes telemetry, sends {shutDown, served} and exits.
 * With BENCH_APP_PROFILE_FILE, a V8 CPU profile of the measured window (in-process, node:inspector)
 * is written there before the measurement is sent.
 */
const fs = require('node:fs');
const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const { startTelemetry } = require('./telemetry');

const spec = JSON.parse(process.env.BENCH_APP_SPEC ?? '{"distro":"none"}');
const stopTelemetry = startTelemetry(spec);

const http = require('node:http');
const express = require('express');
const { Pool } = require('pg');
const winston = require('winston');

const { fetch } = globalThis; // Node's global fetch (undici inside)
const downstream = `http://127.0.0.1:${process.env.BENCH_APP_DOWNSTREAM_PORT}`;
const pool = new Pool({ host: '127.0.0.1', port: Number(process.env.BENCH_APP_PG_PORT), user: 'postgres', database: 'postgres', max: Number(process.env.BENCH_APP_PG_CONNECTIONS ?? 4) });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Stream({ stream: fs.createWriteStream('/dev/null') })] });

let served = 0;

function httpGetJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => { try { resolve(JSON.parse(text)); } catch (e) { reject(e); } });
    }).on('error', reject);
  });
}

const app = express();
app.use((req, res, next) => { res.setHeader('x-app', 'bench'); next(); });
app.get('/orders/:id', async (req, res, next) => {
  try {
    const id = Number(req.params.id);
    const { rows } = await pool.query('SELECT id, item, quantity FROM orders WHERE id = $1', [id]);
    const stock = await (await fetch(`${downstream}/stock/${id}`)).json();
    const price = await httpGetJson(`${downstream}/price/${id}`);
    logger.info('order read', { orderId: id, inStock: stock.inStock });
    served++;
    res.json({ order: rows[0], inStock: stock.inStock, price: price.price });
  } catch (e) {
    next(e);
  }
});

/** CPU profile of the measured window only (start..stop), when BENCH_APP_PROFILE_FILE asks for one. */
function createWindowProfiler(file) {
  if (!file) return { start() {}, stop: async () => {} };
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  return {
    start() { post('Profiler.enable').then(() => post('Profiler.start')); },
    async stop() { fs.writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)); },
  };
}
const profiler = createWindowProfiler(process.env.BENCH_APP_PROFILE_FILE);

let histogram;
let cpuAtStart;
let servedAtStart = 0;
let startedAt = 0;

function measurement() {
  const cpu = process.cpuUsage(cpuAtStart);
  histogram.disable();
  return {
    measured: true,
    requests: served - servedAtStart,
    cpuMicros: cpu.user + cpu.system,
    wallMillis: performance.now() - startedAt,
    eventLoopP50Millis: histogram.percentile(50) / 1e6,
    eventLoopP99Millis: histogram.percentile(99) / 1e6,
    eventLoopMaxMillis: histogram.max / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

process.on('message', (message) => {
  if (message === 'start') {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    servedAtStart = served;
    startedAt = performance.now();
    cpuAtStart = process.cpuUsage();
    profiler.start();
  } else if (message === 'stop') {
    const measured = measurement();
    profiler.stop().then(() => process.send(measured));
  } else if (message === 'shutdown') {
    server.close();
    server.closeAllConnections();
    Promise.resolve(stopTelemetry())
      .catch((e) => process.stderr.write(`telemetry shutdown: ${e}\n`))
      .then(() => pool.end())
      .finally(() => process.send({ shutDown: true, served }, () => process.exit(0)));
  }
});

const server = app.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));

// Never outlive the bench: when the parent goes (IPC closed), so do we.
process.on('disconnect', () => process.exit(0));
