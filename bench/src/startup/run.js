'use strict';
/**
 * Startup benchmark: how long `useAzureMonitor()` takes in a fresh process, and proof that it makes
 * no network probe (no IMDS, no metadata endpoint). Issue 6 promises under 50 ms on this machine.
 *
 * Each round is a fresh child process (guard preloaded): credential passed as an option, and a
 * managed identity selected by APPLICATIONINSIGHTS_AUTHENTICATION_STRING (created lazily; its
 * IDENTITY_ENDPOINT points at a closed loopback port so even a mistake stays on the machine).
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { NETWORK_GUARD, RESULTS_DIR } = require('../paths');
const { baseChildEnv } = require('../child-env');
const report = require('../report');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TARGET_MILLIS = 50;
const IKEY = '11111111-2222-4333-8444-555555555555';
const VARIANTS = {
  'credential option': { BENCH_STARTUP_CREDENTIAL: 'option' },
  'auth string (managed identity)': {
    BENCH_STARTUP_CREDENTIAL: 'auth-string',
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    IDENTITY_ENDPOINT: 'http://127.0.0.1:9/msi/token',
    IDENTITY_HEADER: 'bench',
  },
};

function runOnce(extraEnv) {
  return new Promise((resolve) => {
    const env = { ...baseChildEnv(), ...extraEnv, BENCH_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:9/` };
    const child = fork(path.join(__dirname, 'child.js'), [], { env, execArgv: ['--require', NETWORK_GUARD], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let result;
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('message', (m) => { result = m; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const guardLines = stderr.split('\n').filter((l) => l.includes('NETWORK GUARD'));
      resolve({ ...result, exitCode: code, guardLines });
    });
  });
}

async function main() {
  console.log(`appinsights-otel startup bench: ${ROUNDS} fresh processes per variant, node ${process.version}`);
  const rows = [];
  const problems = [];
  for (const [name, env] of Object.entries(VARIANTS)) {
    const runs = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await runOnce(env));
    for (const r of runs) {
      if (r.callMillis === undefined) problems.push(`${name}: a run reported nothing (exit ${r.exitCode})`);
      for (const l of r.guardLines) problems.push(`${name}: ${l}`);
      for (const t of r.connectTargets ?? []) problems.push(`${name}: startup opened a connection to ${t}`);
    }
    const calls = runs.map((r) => r.callMillis).filter((v) => v !== undefined);
    const loads = runs.map((r) => r.loadMillis).filter((v) => v !== undefined);
    rows.push({ variant: name, callMillis: report.median(calls), maxCallMillis: Math.max(...calls), loadMillis: report.median(loads), runs: calls.length });
  }
  console.log('\n| variant | useAzureMonitor() median ms | max ms | module load median ms | runs |');
  console.log('|:--|--:|--:|--:|--:|');
  for (const r of rows) console.log(`| ${r.variant} | ${report.fmt(r.callMillis, 1)} | ${report.fmt(r.maxCallMillis, 1)} | ${report.fmt(r.loadMillis, 0)} | ${r.runs} |`);
  const pass = rows.every((r) => r.callMillis < TARGET_MILLIS);
  console.log(`\n${pass ? 'PASS' : 'FAIL'}: useAzureMonitor() returns in under ${TARGET_MILLIS} ms (median)`);
  console.log(problems.length ? `INVALID:\n  ${problems.join('\n  ')}` : 'No connection attempt at all during startup (not even to loopback), and no NETWORK GUARD line.');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'startup-latest.json'), JSON.stringify({ ...report.runContext(new Date()), rounds: ROUNDS, targetMillis: TARGET_MILLIS, rows, pass, problems }, null, 2) + '\n');
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
