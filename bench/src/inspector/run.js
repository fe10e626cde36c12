'use strict';
/**
 * Inspector paging benchmark (issue 26): stores N request items (default 100,000) through the
 * emulator's /v2.1/track, then times the inspector's table API as the page calls it: the table
 * counts, the first page, a deep page, filtered pages (a rare text, a text every row holds, a deep
 * filtered page) and a transaction. Once with the SQLite store (what `appinsights-emulator start`
 * uses) and once in memory (the programmatic API's default). A script, not a test: it asserts
 * nothing and jest does not run it.
 *
 *   npm run bench:inspector                       (builds first)
 *   BENCH_ITEMS=20000 npm run -w bench bench:inspector
 */
/* global fetch -- Node's global fetch */
const { performance } = require('node:perf_hooks');
const { startEmulator } = require('@appinsights-otel/emulator');

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const BATCH = 5_000;
const RUNS = Number(process.env.BENCH_ROUNDS ?? 11);
const PAGE = 100;

function requestItem(ikey, n) {
  return {
    name: 'Microsoft.ApplicationInsights.Request', time: new Date().toISOString(), iKey: ikey,
    tags: { 'ai.operation.id': `op${n}`, 'ai.cloud.role': 'bench-api' },
    data: {
      baseType: 'RequestData',
      baseData: {
        ver: 2, id: `r${n}`, name: `GET /item/${n}`, url: `http://127.0.0.1/item/${n}`, duration: '00:00:00.010',
        responseCode: n % 50 === 0 ? '500' : '200', success: n % 50 !== 0, properties: { tenant: `t${n % 7}` },
      },
    },
  };
}

async function store(emu) {
  const token = emu.issueToken({ identity: 'ci-principal' });
  const ikey = emu.resource().instrumentationKey;
  for (let sent = 0; sent < ITEMS; sent += BATCH) {
    const items = Array.from({ length: Math.min(BATCH, ITEMS - sent) }, (_, i) => requestItem(ikey, sent + i));
    const res = await fetch(`${emu.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(items) });
    if (res.status !== 200) throw new Error(`ingestion answered ${res.status}: ${await res.text()}`);
  }
}

async function timeMillis(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { min: times[0], median: times[Math.floor(RUNS / 2)] };
}

function cases() {
  const deep = Math.max(0, ITEMS - PAGE);
  const items = (query) => `api/items?table=requests&limit=${PAGE}&${query}`;
  return [
    ['table counts', 'api/tables'],
    ['first page', items('offset=0')],
    [`deep page (offset ${deep})`, items(`offset=${deep}`)],
    ['filtered page, rare text ("/item/9999")', items('offset=0&filter=%2Fitem%2F9999')],
    ['filtered page, text in every row ("get /item/")', items('offset=0&filter=get%20%2Fitem%2F')],
    [`filtered deep page ("get /item/", offset ${deep})`, items(`offset=${deep}&filter=get%20%2Fitem%2F`)],
    ['transaction (one operation id)', 'api/transaction?operationId=op500'],
  ];
}

async function measure(kind, inMemory) {
  const emu = await startEmulator({ inMemory });
  try {
    await store(emu);
    const get = async (p) => {
      const res = await fetch(`${emu.inspectorUrl}${p}`);
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    process.stdout.write(`\n${emu.countItems('requests')} requests stored (${kind}); ${RUNS} runs each, ms (min / median):\n`);
    for (const [name, p] of cases()) {
      const { min, median } = await timeMillis(() => get(p));
      process.stdout.write(`  ${name.padEnd(52)} ${min.toFixed(1).padStart(8)} / ${median.toFixed(1).padStart(8)}\n`);
    }
  } finally {
    await emu.close();
  }
}

async function main() {
  await measure('SQLite', false);
  await measure('memory', true);
}

main().catch((e) => { process.stderr.write(`${e.stack ?? e}\n`); process.exitCode = 1; });
