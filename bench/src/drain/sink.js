'use strict';
/**
 * The drain benchmark's ingestion sink: a separate process (forked with IPC by drain/run.js,
 * network guard preloaded) serving HTTPS on 127.0.0.1 only (self-signed certificate from the
 * parent).
 *
 * Modes (set over IPC):
 * - `down`: every POST gets 503 with `Retry-After: 3600` (ingestion in an outage that says it
 *   lasts an hour). The exporter persists the body and, honouring the hint, sends nothing more.
 * - `up`: every POST is gunzipped, each item parsed and identified (drain/items.js), then answered
 *   200 `{ itemsReceived, itemsAccepted, errors: [] }` after `latencyMillis` (0: at once), which
 *   models ingestion's response time.
 *
 * IPC: { type: 'reset', id, mode, latencyMillis } -> { type: 'reset', id };
 *      { type: 'progress', id } -> counters only; { type: 'stats', id } -> everything.
 */
const https = require('node:https');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { createItemSet, forEachLine } = require('./items');

const LOOPBACK = '127.0.0.1';
const OUTAGE_RETRY_AFTER_SECONDS = 3600;

let mode = 'down';
let latencyMillis = 0;
let state;

function freshState() {
  return {
    requests: 0, okRequests: 0, refusedRequests: 0, badRequests: 0, parseErrors: 0,
    gzipRequests: 0, bearerRequests: 0, wireBytes: 0, decodedBytes: 0, items: 0,
    inFlight: 0, maxInFlight: 0, firstRequestAt: undefined, lastResponseAt: undefined,
    itemSet: createItemSet(), itemsByType: {}, cpu0: process.cpuUsage(),
  };
}
state = freshState();

function handle(req, res) {
  const chunks = [];
  let wireBytes = 0;
  state.firstRequestAt ??= Date.now();
  state.inFlight += 1;
  state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
  req.on('data', (chunk) => { chunks.push(chunk); wireBytes += chunk.length; });
  req.on('end', () => {
    const s = state;
    const respond = (status, headers, payload) => {
      const send = () => {
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers }).end(payload);
        s.inFlight -= 1;
        s.lastResponseAt = Date.now();
      };
      if (status === 200 && latencyMillis > 0) setTimeout(send, latencyMillis); else send();
    };
    s.requests += 1;
    s.wireBytes += wireBytes;
    if (/^Bearer \S+/.test(req.headers.authorization ?? '')) s.bearerRequests += 1;
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || !/\/v2(\.1)?\/track$/.test(path)) {
      s.badRequests += 1;
      respond(404, {}, '{"error":"not found"}');
      return;
    }
    if (mode === 'down') {
      s.refusedRequests += 1;
      respond(503, { 'retry-after': String(OUTAGE_RETRY_AFTER_SECONDS) }, '{"error":"service unavailable (bench outage)"}');
      return;
    }
    let n = 0;
    try {
      let body = Buffer.concat(chunks);
      if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
        s.gzipRequests += 1;
        body = zlib.gunzipSync(body);
      }
      s.decodedBytes += body.length;
      const lines = [];
      forEachLine(body, (line) => {
        const item = JSON.parse(line.toString('utf8'));
        const type = String(item?.data?.baseType ?? '?');
        s.itemsByType[type] = (s.itemsByType[type] ?? 0) + 1;
        lines.push(line);
      });
      for (const line of lines) s.itemSet.add(line); // only once the whole body parsed (a 400 keeps nothing)
      n = lines.length;
    } catch (error) {
      s.parseErrors += 1;
      respond(400, {}, JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: String(error) }] }));
      return;
    }
    s.items += n;
    s.okRequests += 1;
    respond(200, {}, JSON.stringify({ itemsReceived: n, itemsAccepted: n, errors: [] }));
  });
}

function counters() {
  const rest = { ...state };
  delete rest.itemSet;
  delete rest.cpu0;
  const cpu = process.cpuUsage(state.cpu0);
  return { ...rest, cpuMicros: cpu.user + cpu.system, mode, latencyMillis };
}

async function main() {
  const server = https.createServer({ cert: fs.readFileSync(process.env.BENCH_SINK_CERT), key: fs.readFileSync(process.env.BENCH_SINK_KEY) }, handle);
  server.keepAliveTimeout = 30_000;
  const port = await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve(server.address().port));
  });
  process.on('message', (msg) => {
    if (msg?.type === 'reset') {
      mode = msg.mode === 'up' ? 'up' : 'down';
      latencyMillis = Math.max(0, Number(msg.latencyMillis) || 0);
      server.closeIdleConnections?.();
      state = freshState();
      process.send({ type: 'reset', id: msg.id });
    } else if (msg?.type === 'progress') {
      process.send({ type: 'progress', id: msg.id, items: state.items, requests: state.requests, lastResponseAt: state.lastResponseAt });
    } else if (msg?.type === 'stats') {
      process.send({ type: 'stats', id: msg.id, stats: { ...counters(), itemSet: state.itemSet.summary() } });
    }
  });
  process.on('disconnect', () => { server.closeAllConnections?.(); server.close(); });
  process.send({ type: 'ready', port, guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]) });
}

main().catch((error) => { process.stderr.write(`drain sink failed: ${error?.stack ?? error}\n`); process.exit(1); });
