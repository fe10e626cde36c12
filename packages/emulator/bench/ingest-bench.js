#!/usr/bin/env node
'use strict';
/**
 * Ingestion benchmark: posts gzip batches of Request envelopes to the emulator's /v2.1/track with a
 * valid Bearer token for ~10 s and prints accepted envelopes per second.
 *
 *   npx tsc -b packages/emulator && node packages/emulator/bench/ingest-bench.js [--seconds 10] [--batch 100] [--concurrency 4] [--sqlite] [--same-process]
 *
 * By default the emulator runs in a child process (network guard preloaded) so sender and server do
 * not share an event loop. This is a script, not a test: it asserts nothing and is not run by jest.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');
const { gzipSync } = require('node:zlib');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const GUARD = path.join(REPO_ROOT, 'scripts', 'network-guard.cjs');
const DIST = path.resolve(__dirname, '..', 'dist', 'index.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const SECONDS = Number(arg('seconds', '10'));
const BATCH = Number(arg('batch', '100'));
const CONCURRENCY = Number(arg('concurrency', '4'));
const SQLITE = process.argv.includes('--sqlite');
const SAME_PROCESS = process.argv.includes('--same-process');

// Started in the child: prints one JSON line with what the sender needs, stays up until stdin closes.
const CHILD = `
const { startEmulator } = require(${JSON.stringify(DIST)});
(async () => {
  const opts = JSON.parse(process.argv[1]);
  const emu = await startEmulator(opts);
  process.stdout.write(JSON.stringify({ url: emu.ingestionUrl, ikey: emu.resource().instrumentationKey,
    token: emu.issueToken({ identity: 'ci-principal', lifetimeSeconds: 3600 }) }) + '\\n');
  process.stdin.on('end', async () => { process.stdout.write(JSON.stringify({ stored: emu.countItems('requests') }) + '\\n'); await emu.close(); process.exit(0); });
  process.stdin.resume();
})();
`;

function startChild(options) {
  const child = spawn(process.execPath, ['--require', GUARD, '-e', CHILD, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = [];
  let waiting = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line); else lines.push(line);
    }
  });
  const next = () => new Promise((r) => (lines.length ? r(lines.shift()) : waiting.push(r)));
  return { child, next };
}

function makeBatch(ikey, n, seq) {
  const now = new Date().toISOString();
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push({
      ver: 1, name: 'Microsoft.ApplicationInsights.Request', time: now, iKey: ikey,
      tags: { 'ai.cloud.role': 'bench', 'ai.cloud.roleInstance': 'bench-1', 'ai.operation.id': `${seq}-${i}`, 'ai.internal.sdkVersion': 'bench:1' },
      data: { baseType: 'RequestData', baseData: { ver: 2, id: `${seq}-${i}`, name: 'GET /bench', url: 'http://bench/x', duration: '00:00:00.0123456', responseCode: '200', success: true, properties: { 'http.method': 'GET', 'server.address': 'bench', attempt: String(i) } } },
    });
  }
  return gzipSync(Buffer.from(JSON.stringify(items)));
}

function post(agent, url, token, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v2.1/track`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}`, 'content-length': body.length } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-bench-'));
  const options = { inMemory: !SQLITE, dataDir };
  let info; let stop;
  if (SAME_PROCESS) {
    const { startEmulator } = require(DIST);
    const emu = await startEmulator(options);
    info = { url: emu.ingestionUrl, ikey: emu.resource().instrumentationKey, token: emu.issueToken({ identity: 'ci-principal' }) };
    stop = async () => { const stored = emu.countItems('requests'); await emu.close(); return stored; };
  } else {
    const { child, next } = startChild(options);
    info = await next();
    stop = async () => { child.stdin.end(); const { stored } = await next(); return stored; };
  }
  const batches = Array.from({ length: 16 }, (_, i) => makeBatch(info.ikey, BATCH, i));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let accepted = 0; let requests = 0; let failures = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    let i = w;
    while (Date.now() < deadline) {
      const res = await post(agent, info.url, info.token, batches[i++ % batches.length]);
      requests++;
      if (res.status === 200) accepted += JSON.parse(res.body).itemsAccepted; else failures++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const stored = await stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify({
    store: SQLITE ? 'sqlite' : 'memory', mode: SAME_PROCESS ? 'same-process' : 'child-process', cpus: os.cpus().length,
    seconds: Number(elapsed.toFixed(2)), batch: BATCH, concurrency: CONCURRENCY, requests, failures, accepted, stored,
    envelopesPerSecond: Math.round(accepted / elapsed),
  }));
}

main().catch((e) => { console.error(e); process.exit(1); });
