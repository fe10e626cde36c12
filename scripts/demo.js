'use strict';
/* global fetch */
/**
 * `npm run demo`: Application Insights with Microsoft Entra ID, end to end, on this machine only.
 *
 * 1. starts the local emulator: an Entra-only Application Insights resource, a token issuer,
 *    a managed identity endpoint and the query API;
 * 2. runs a small web app instrumented with useAzureMonitor({ credential: new ManagedIdentityCredential() })
 *    in a child process, and sends it some traffic (including an error and logs) while someone
 *    "watches" Live Metrics: the emulator receives the app's Live Metrics posts (once a second,
 *    Bearer token) with the request, failure and exception rates and sample documents;
 * 3. queries the telemetry back through the query API with a service principal (ClientSecretCredential);
 * 4. shows what a misconfigured identity (no role) gets: the explanations, not just a status code.
 *
 * Nothing leaves the machine: this process and every child preload scripts/network-guard.cjs.
 */
const path = require('node:path');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const GUARD = path.join(REPO_ROOT, 'scripts', 'network-guard.cjs');
require(GUARD); // loopback only, in this process too

const { startEmulator, DEFAULT_IDS } = require('@appinsights-otel/emulator');
const { formatTable } = require('./demo/print-table.cjs');

const TRAFFIC = ['/', '/orders/17', '/orders/42', '/checkout', '/no-such-page', '/orders/7'];
const DELIVERY_WAIT_MILLIS = 15_000;
const LIVE_METRICS_WAIT_MILLIS = 15_000;

function heading(text) {
  process.stdout.write(`\n=== ${text} ===\n`);
}

/** Starts `node --require <guard> ...args` with a clean environment. */
function startNode(args, env) {
  const child = spawn(process.execPath, ['--require', GUARD, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH || '', AI_NETWORK_GUARD: 'fatal', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => { output.stdout += c; });
  child.stderr.on('data', (c) => { output.stderr += c; });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
}

async function runNode(args, env) {
  const run = startNode(args, env);
  const code = await run.exited;
  return { code, ...run.output };
}

function firstJsonLine(text) {
  const line = text.split('\n').find((l) => l.startsWith('{'));
  return line === undefined ? undefined : JSON.parse(line);
}

async function waitFor(predicate, timeoutMillis) {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return predicate();
}

function liveMetricsTotals(emulator) {
  const posts = emulator.liveMetrics.received('post').filter((p) => p.status === 200);
  const sum = (name) => posts.slice(1).reduce((total, p, i) => {
    const metric = (p.dataPoints[0]?.Metrics ?? []).find((m) => m.Name === name);
    const seconds = (Date.parse(p.dataPoints[0]?.Timestamp ?? '') - Date.parse(posts[i].dataPoints[0]?.Timestamp ?? '')) / 1000;
    return total + (metric ? metric.Value * seconds : 0);
  }, 0);
  return {
    posts,
    requests: Math.round(sum('\\ApplicationInsights\\Requests/Sec')),
    failed: Math.round(sum('\\ApplicationInsights\\Requests Failed/Sec')),
    exceptions: Math.round(sum('\\ApplicationInsights\\Exceptions/Sec')),
  };
}

function showLiveMetrics(emulator) {
  const { posts, requests, failed, exceptions } = liveMetricsTotals(emulator);
  const pings = emulator.liveMetrics.received('ping').filter((p) => p.status === 200).length;
  const cpu = posts.at(-1)?.dataPoints[0]?.Metrics?.find((m) => m.Name === '\\Processor(_Total)\\% Processor Time')?.Value ?? 0;
  const memory = posts.at(-1)?.dataPoints[0]?.Metrics?.find((m) => m.Name === '\\Memory\\Committed Bytes')?.Value ?? 0;
  const documents = posts.flatMap((p) => p.dataPoints[0]?.Documents ?? []);
  process.stdout.write(`Live Metrics: the emulator received ${pings} ping(s) and ${posts.length} posts (about one a second while subscribed, Bearer token of the same managed identity)\n`);
  process.stdout.write(`  rates x intervals: ${requests} requests, ${failed} failed, ${exceptions} exceptions; last CPU ${cpu.toFixed(1)} %, memory ${(memory / 1048576).toFixed(0)} MB\n`);
  const samples = documents.filter((d) => d.DocumentType === 'Request').map((d) => `${d.Name} (${d.ResponseCode})`);
  process.stdout.write(`  sample documents: ${samples.join(', ')}\n`);
}

async function runApp(emulator) {
  heading('2. A web app instrumented with useAzureMonitor({ credential: new ManagedIdentityCredential() })');
  emulator.liveMetrics.subscribe(); // someone opens the Live Metrics page: the app's pings are answered "subscribed"
  const app = startNode([path.join(__dirname, 'demo', 'app.cjs')], {
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
  });
  const started = await waitFor(() => firstJsonLine(app.output.stdout) !== undefined, 15_000);
  if (!started) throw new Error(`the demo app did not start:\n${app.output.stderr}`);
  const { port } = firstJsonLine(app.output.stdout);
  process.stdout.write(`app listening on http://127.0.0.1:${port} (managed identity "${DEFAULT_IDS.managedIdentityName}" via IDENTITY_ENDPOINT)\n`);
  const posting = await waitFor(() => emulator.liveMetrics.received('post').length > 0, LIVE_METRICS_WAIT_MILLIS);
  if (!posting) throw new Error(`the app never started posting Live Metrics:\n${app.output.stderr}`);
  for (const route of TRAFFIC) {
    const res = await fetch(`http://127.0.0.1:${port}${route}`);
    await res.text();
    process.stdout.write(`  GET ${route.padEnd(14)} -> ${res.status}\n`);
  }
  const seen = await waitFor(() => liveMetricsTotals(emulator).requests >= TRAFFIC.length, LIVE_METRICS_WAIT_MILLIS);
  if (!seen) throw new Error(`Live Metrics did not show the ${TRAFFIC.length} requests`);
  showLiveMetrics(emulator);
  app.child.kill('SIGTERM'); // the app calls shutdownAzureMonitor(): everything is flushed before it exits
  const code = await app.exited;
  if (code !== 0) throw new Error(`the demo app exited with ${code}:\n${app.output.stderr}`);
  if (app.output.stderr.trim() !== '') process.stdout.write(`app diagnostics:\n${app.output.stderr}`);
  const delivered = await waitFor(() => emulator.countItems('requests') >= TRAFFIC.length, DELIVERY_WAIT_MILLIS);
  if (!delivered) throw new Error(`only ${emulator.countItems('requests')} of ${TRAFFIC.length} requests reached ingestion`);
  process.stdout.write(`delivered: ${emulator.countItems('requests')} requests, ${emulator.countItems('exceptions')} exceptions, `
    + `${emulator.countItems('traces')} logs, ${emulator.countItems('customMetrics')} metrics (v2.1/track, Bearer token)\n`);
}

async function runQueries(emulator, identityName, queries) {
  const sp = emulator.servicePrincipal(identityName);
  const run = await runNode([path.join(__dirname, 'demo', 'run-queries.cjs')], {
    NODE_EXTRA_CA_CERTS: emulator.caCertPath, // the emulator's token issuer uses a self-signed certificate
    AZURE_TENANT_ID: sp.tenantId, AZURE_CLIENT_ID: sp.clientId, AZURE_CLIENT_SECRET: sp.clientSecret, AZURE_AUTHORITY_HOST: sp.authorityHost,
    QUERY_APP_ID: emulator.resource().applicationId, QUERY_ENDPOINT: emulator.queryEndpoint, QUERY_TIMESPAN: 'PT1H',
    QUERIES: JSON.stringify(queries),
  });
  if (run.code !== 0) throw new Error(`run-queries failed (${run.code}):\n${run.stderr}`);
  return run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

async function queryBack(emulator) {
  heading(`3. Query it back: QueryClient with a service principal ("${DEFAULT_IDS.servicePrincipalName}", ClientSecretCredential, Reader role)`);
  const results = await runQueries(emulator, DEFAULT_IDS.servicePrincipalName, [
    'requests | take 10',
    'requests | summarize requests = count() by resultCode | order by resultCode asc',
    'traces | project timestamp, severityLevel, message',
    'performanceCounters | project category, counter, instance, value',
  ]);
  const shown = [['timestamp', 'name', 'url', 'resultCode', 'success', 'duration'], undefined, undefined, undefined];
  results.forEach((result, i) => {
    process.stdout.write(`\n> ${result.kql}\n`);
    if (!result.ok) throw new Error(`query failed: ${result.error.message}`);
    const table = result.tables[0];
    const columns = shown[i];
    process.stdout.write(`${formatTable(table, columns)}\n`);
    if (columns !== undefined) process.stdout.write(`  (${table.rows.length} rows; ${columns.length} of ${table.columns.length} columns shown)\n`);
  });
}

async function misconfigured(emulator) {
  heading('4. A misconfigured identity: what the user sees');
  process.stdout.write(`\nQuery API with service principal "${DEFAULT_IDS.noRoleName}" (no Reader role):\n`);
  const [denied] = await runQueries(emulator, DEFAULT_IDS.noRoleName, ['requests | take 1']);
  if (denied.ok) throw new Error('expected the no-role identity to be refused');
  process.stdout.write(`  ${denied.error.name} (${denied.error.statusCode}): ${denied.error.message}\n`);

  process.stdout.write(`\nIngestion with managed identity "${DEFAULT_IDS.noRoleManagedIdentityName}" (no Monitoring Metrics Publisher role): appinsights-otel doctor\n`);
  const doctor = await runNode([path.join(REPO_ROOT, 'packages', 'distro', 'dist', 'cli.js'), 'doctor'], {
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${DEFAULT_IDS.noRoleManagedIdentityClientId}`,
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
  });
  process.stdout.write(`${doctor.stdout.trimEnd().split('\n').map((l) => `  ${l}`).join('\n')}\n  (doctor exit code ${doctor.code}: a step failed, as expected here; the demo itself goes on)\n`);
  if (doctor.code !== 1) throw new Error(`expected doctor to report the missing role (exit 1), got ${doctor.code}:\n${doctor.stderr}`);
}

async function main() {
  heading('1. Local Application Insights emulator (Entra-only resource: local authentication disabled)');
  const emulator = await startEmulator();
  try {
    const resource = emulator.resource();
    process.stdout.write(`ingestion + query API ${emulator.ingestionUrl}, token issuer ${emulator.authorityHost}\n`);
    process.stdout.write(`inspector (open in a browser to see every request, auth decision and item): ${emulator.inspectorUrl}\n`);
    process.stdout.write(`resource "${resource.name}": ikey ${resource.instrumentationKey.slice(0, 8)}..., application id ${resource.applicationId}, disableLocalAuth ${resource.disableLocalAuth}\n`);
    await runApp(emulator);
    await queryBack(emulator);
    await misconfigured(emulator);
    if (process.stdout.isTTY && process.env.DEMO_KEEP_OPEN !== '0') {
      process.stdout.write(`\nThe emulator keeps running so you can look around: ${emulator.inspectorUrl}\nPress Ctrl+C to stop.\n`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
    }
  } finally {
    await emulator.close();
  }
  heading('Done: telemetry went in with a managed identity and came back out with a service principal, all over Microsoft Entra ID');
}

main().catch((error) => {
  process.stderr.write(`\ndemo failed: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
