'use strict';
/**
 * Runs KQL queries through @appinsights-otel/query with a service principal
 * (ClientSecretCredential) and prints one JSON line per query:
 *   {"ok":true,"kql":"...","tables":[...]}  or  {"ok":false,"kql":"...","error":{name,code,statusCode,message}}
 *
 * Run it as a child process so NODE_EXTRA_CA_CERTS (the emulator's self-signed issuer certificate)
 * is set at start-up, with the network guard preloaded:
 *   NODE_EXTRA_CA_CERTS=<ca.pem> node --require scripts/network-guard.cjs scripts/demo/run-queries.cjs
 * Environment: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST,
 * QUERY_APP_ID, QUERY_ENDPOINT, QUERY_TIMESPAN (optional), QUERIES (JSON array of KQL strings).
 */
const { ClientSecretCredential } = require('@azure/identity');
const { QueryClient } = require('@appinsights-otel/query');

function need(name) {
  const value = process.env[name];
  if (!value) { process.stderr.write(`run-queries: ${name} is not set\n`); process.exit(2); }
  return value;
}

async function main() {
  const credential = new ClientSecretCredential(need('AZURE_TENANT_ID'), need('AZURE_CLIENT_ID'), need('AZURE_CLIENT_SECRET'), {
    authorityHost: need('AZURE_AUTHORITY_HOST'),
    disableInstanceDiscovery: true, // a local issuer: no instance discovery call to login.microsoftonline.com
  });
  const client = new QueryClient({ appId: need('QUERY_APP_ID'), credential, endpoint: need('QUERY_ENDPOINT') });
  const queries = JSON.parse(need('QUERIES'));
  for (const kql of queries) {
    try {
      const result = await client.query(kql, process.env.QUERY_TIMESPAN ? { timespan: process.env.QUERY_TIMESPAN } : {});
      process.stdout.write(`${JSON.stringify({ ok: true, kql, tables: result.tables })}\n`);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      process.stdout.write(`${JSON.stringify({ ok: false, kql, error: { name: e.name, code: e.code, statusCode: e.statusCode, message: e.message } })}\n`);
    }
  }
}

main().catch((error) => { process.stderr.write(`run-queries: ${error && error.stack ? error.stack : error}\n`); process.exit(1); });
