'use strict';
/* global fetch */
/**
 * `npm run demo`: Application Insights with Microsoft Entra ID, end to end, on this machine only.
 *
 * 1. starts the local emulator: an Entra-only Application Insights resource, a token issuer,
 *    a managed identity endpoint and the query API;
 * 2. runs a small web app instrumented with useAzureMonitor({ credential: new ManagedIdentityCredential() })
 *    in a child process, and sends it some traffic (including an error and logs);
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

async function runApp(emulator) {
  heading('2. A web app instrumented with useAzureMonitor({ credential: new ManagedIdentityCredential() })');
  const app = startNode([path.join(__dirname, 'demo', 'app.cjs')], {
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
  });
  const started = await waitFor(() => firstJsonLine(app.output.stdout) !== undefined, 15_000);
  if (!started) throw new Error(`the demo app did not start:\n${app.output.stderr}`);
  const { port } = firstJsonLine(app.output.stdout);
  process.stdout.write(`app listening on http://127.0.0.1:${port} (managed identity "${DEFAULT_IDS.managedIdentityName}" via IDENTITY_ENDPOINT)\n`);
  for (const route of TRAFFIC) {
    const res = await fetch(`http://127.0.0.1:${port}${route}`);
    await res.text();
    process.stdout.write(`  GET ${route.padEnd(14)} -> ${res.status}\n`);
  }
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
  ]);
  const shown = [['timestamp', 'name', 'url', 'resultCode', 'success', 'duration'], undefined, undefined];
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
    process.stdout.write(`resource "${resource.name}": ikey ${resource.instrumentationKey.slice(0, 8)}..., application id ${resource.applicationId}, disableLocalAuth ${resource.disableLocalAuth}\n`);
    await runApp(emulator);
    await queryBack(emulator);
    await misconfigured(emulator);
  } finally {
    await emulator.close();
  }
  heading('Done: telemetry went in with a managed identity and came back out with a service principal, all over Microsoft Entra ID');
}

main().catch((error) => {
  process.stderr.write(`\ndemo failed: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
