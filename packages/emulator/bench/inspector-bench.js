#!/usr/bin/env node
'use strict';
/**
 * Inspector benchmark: stores N request items (default 100,000) through /v2.1/track, then times the
 * inspector's table page (first page, a deep page, a filtered page) and the table counts, as the page
 * asks for them. A script, not a test: it asserts nothing and is not run by jest.
 *
 *   npm run build && node --require ./scripts/network-guard.cjs packages/emulator/bench/inspector-bench.js [--items 100000] [--sqlite]
 */
/* global fetch -- Node's global fetch */
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { startEmulator } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const ITEMS = Number(arg('items', '100000'));
const BATCH = 5_000;
const RUNS = 11;

async function median(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `min ${times[0].toFixed(1)}  median ${times[Math.floor(RUNS / 2)].toFixed(1)}`;
}

async function main() {
  const emu = await startEmulator({ inMemory: !process.argv.includes('--sqlite') });
  try {
    const token = emu.issueToken({ identity: 'ci-principal' });
    const ikey = emu.resource().instrumentationKey;
    for (let sent = 0; sent < ITEMS; sent += BATCH) {
      const items = Array.from({ length: Math.min(BATCH, ITEMS - sent) }, (_, i) => ({
        name: 'Microsoft.ApplicationInsights.Request', time: new Date().toISOString(), iKey: ikey,
        tags: { 'ai.operation.id': `op${sent + i}` },
        data: { baseType: 'RequestData', baseData: { ver: 2, id: `r${sent + i}`, name: `GET /item/${sent + i}`, duration: '00:00:00.010', responseCode: '200', success: true } },
      }));
      const res = await fetch(`${emu.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(items) });
      if (res.status !== 200) throw new Error(`ingestion answered ${res.status}: ${await res.text()}`);
    }
    const get = (p) => fetch(`${emu.inspectorUrl}${p}`).then((r) => r.json());
    const stored = emu.countItems('requests');
    process.stdout.write(`${stored} requests stored (${process.argv.includes('--sqlite') ? 'SQLite' : 'memory'}); ${RUNS} runs each, ms (a shared machine: read the min):\n`);
    process.stdout.write(`  tables (counts)          ${await median(() => get('api/tables'))}\n`);
    process.stdout.write(`  first page (100 rows)    ${await median(() => get('api/items?table=requests&offset=0&limit=100'))}\n`);
    process.stdout.write(`  page 900 (100 rows)      ${await median(() => get('api/items?table=requests&offset=90000&limit=100'))}\n`);
    process.stdout.write(`  filtered page ("/item/9999") ${await median(() => get('api/items?table=requests&filter=%2Fitem%2F9999&offset=0&limit=100'))}\n`);
    process.stdout.write(`  transaction (one op id)  ${await median(() => get('api/transaction?operationId=op500'))}\n`);
  } finally {
    await emu.close();
  }
}

main().catch((e) => { process.stderr.write(`${e.stack ?? e}\n`); process.exitCode = 1; });
