'use strict';
// The browser relay test's app (a child process, like a real deployment): useAzureMonitor() for the
// server's own telemetry and the browser relay on the same origin, both with the server's managed
// identity (IDENTITY_ENDPOINT/IDENTITY_HEADER point at the emulator). Serves a page that bundles the
// unmodified @microsoft/applicationinsights-web (RELAY_PAGE_BUNDLE) and one API route the page
// fetches. Prints {"port":N} once listening; on the IPC message 'shutdown' it flushes and exits.
const fs = require('node:fs');
const { useAzureMonitor, shutdownAzureMonitor } = require('@appinsights-otel/distro');
const { ManagedIdentityCredential } = require('@azure/identity');

const credential = new ManagedIdentityCredential();
const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
useAzureMonitor({ connectionString, credential, disableOfflineStorage: true, filterRequests: { pathPrefixes: ['/ai-relay'] } });

const express = require('express');
const { createBrowserRelay } = require('@appinsights-otel/browser-relay');

const relay = createBrowserRelay({ connectionString, credential, disableOfflineStorage: true });
const instrumentationKey = /InstrumentationKey=([^;]+)/i.exec(connectionString)[1];
const bundle = fs.readFileSync(process.env.RELAY_PAGE_BUNDLE, 'utf8');

const app = express();
app.use(relay.express());
app.get('/', (_req, res) => {
  res.type('html').send(`<!doctype html><html><head><title>relay test</title>
<script>window.AI_CONNECTION_STRING = ${JSON.stringify(`InstrumentationKey=${instrumentationKey};IngestionEndpoint=`)} + location.origin + ${JSON.stringify(relay.path)};</script>
<script src="/app.js"></script></head><body><h1>shop</h1></body></html>`);
});
app.get('/app.js', (_req, res) => res.type('application/javascript').send(bundle));
app.get('/api/items', (_req, res) => res.json({ items: [1, 2, 3] }));

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

process.on('message', async (message) => {
  if (message !== 'shutdown') return;
  await relay.shutdown(5_000);
  server.closeAllConnections();
  server.close();
  await shutdownAzureMonitor();
  process.disconnect();
});
