'use strict';
/**
 * The ingestion sink: a separate process (forked with IPC by run.js, network guard preloaded)
 * listening on loopback only, plain HTTP and HTTPS (self-signed certificate from the parent).
 *
 * For every POST it counts the body bytes as received (the bytes on the wire), gunzips when
 * `Content-Encoding: gzip`, counts the items (JSON array or newline-delimited JSON), parses each
 * one, and answers 200 `{ itemsReceived, itemsAccepted, errors: [] }` like ingestion does.
 *
 * IPC: { type: 'reset', id } -> { type: 'reset', id }; { type: 'stats', id } -> { type: 'stats', id, stats }.
 */
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const zlib = require('node:zlib');

const LOOPBACK = '127.0.0.1';

function emptyStats() {
  return {
    requests: 0,
    wireBytes: 0,
    decodedBytes: 0,
    items: 0,
    gzipRequests: 0,
    bearerRequests: 0,
    parseErrors: 0,
    badRequests: 0,
    paths: {},
    itemsByName: {},
  };
}

let stats = emptyStats();

/** Counts and checks the items of one decoded body; returns how many there are. */
function countItems(text) {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  let items;
  if (trimmed.startsWith('[')) {
    items = JSON.parse(trimmed);
  } else {
    items = trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  }
  for (const item of items) {
    const name = typeof item?.name === 'string' ? item.name.replace('Microsoft.ApplicationInsights.', '') : '?';
    stats.itemsByName[name] = (stats.itemsByName[name] ?? 0) + 1;
  }
  return items.length;
}

function handle(req, res) {
  const chunks = [];
  let wireBytes = 0;
  req.on('data', (chunk) => { chunks.push(chunk); wireBytes += chunk.length; });
  req.on('end', () => {
    stats.requests += 1;
    stats.wireBytes += wireBytes;
    const path = (req.url ?? '').split('?')[0];
    stats.paths[path] = (stats.paths[path] ?? 0) + 1;
    if (/^Bearer \S+/.test(req.headers.authorization ?? '')) stats.bearerRequests += 1;
    if (req.method !== 'POST' || !/\/v2(\.1)?\/track$/.test(path)) {
      stats.badRequests += 1;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    let n = 0;
    try {
      let body = Buffer.concat(chunks);
      if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
        stats.gzipRequests += 1;
        body = zlib.gunzipSync(body);
      }
      stats.decodedBytes += body.length;
      n = countItems(body.toString('utf8'));
    } catch (error) {
      stats.parseErrors += 1;
      res.writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: String(error) }] }));
      return;
    }
    stats.items += n;
    const payload = JSON.stringify({ itemsReceived: n, itemsAccepted: n, errors: [] });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }).end(payload);
  });
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve(server.address().port));
  });
}

async function main() {
  const certFile = process.env.BENCH_SINK_CERT;
  const keyFile = process.env.BENCH_SINK_KEY;
  const plain = http.createServer(handle);
  const secure = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, handle);
  for (const s of [plain, secure]) s.keepAliveTimeout = 30_000;
  const httpPort = await listen(plain);
  const httpsPort = await listen(secure);
  process.on('message', (msg) => {
    if (msg?.type === 'reset') { stats = emptyStats(); process.send({ type: 'reset', id: msg.id }); }
    else if (msg?.type === 'stats') process.send({ type: 'stats', id: msg.id, stats });
    else if (msg?.type === 'close') { plain.close(); secure.close(); process.disconnect(); }
  });
  process.on('disconnect', () => { plain.closeAllConnections?.(); secure.closeAllConnections?.(); plain.close(); secure.close(); });
  process.send({ type: 'ready', httpPort, httpsPort, guardActive: Boolean(globalThis[Symbol.for('appinsights-otel.network-guard')]) });
}

main().catch((error) => { process.stderr.write(`sink failed: ${error?.stack ?? error}\n`); process.exit(1); });
