'use strict';
/* global URL */
/**
 * The demo's web app: a tiny HTTP service instrumented with one call,
 *   useAzureMonitor({ credential: new ManagedIdentityCredential() })
 * The connection string comes from APPLICATIONINSIGHTS_CONNECTION_STRING; the managed identity from
 * IDENTITY_ENDPOINT/IDENTITY_HEADER (App Service style; here the local emulator).
 * Prints {"port": N} when listening; on SIGTERM flushes telemetry and exits.
 */
const { useAzureMonitor, shutdownAzureMonitor } = require('@appinsights-otel/distro');
const { ManagedIdentityCredential } = require('@azure/identity');

useAzureMonitor({ credential: new ManagedIdentityCredential(), disableOfflineStorage: true });

const http = require('node:http');
const { trace } = require('@opentelemetry/api');
const { logs, SeverityNumber } = require('@opentelemetry/api-logs');

const logger = logs.getLogger('demo-app');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://demo');
  if (url.pathname === '/') {
    res.end('welcome');
  } else if (url.pathname.startsWith('/orders/')) {
    const id = url.pathname.split('/')[2];
    logger.emit({ body: `order ${id} looked up`, severityNumber: SeverityNumber.INFO, severityText: 'INFO', attributes: { 'order.id': id } });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, status: 'shipped' }));
  } else if (url.pathname === '/checkout') {
    const error = new Error('payment provider declined the card');
    trace.getActiveSpan()?.recordException(error);
    logger.emit({ body: 'checkout failed: payment provider declined the card', severityNumber: SeverityNumber.ERROR, severityText: 'ERROR' });
    res.statusCode = 500;
    res.end('checkout failed');
  } else {
    res.statusCode = 404;
    res.end('not found');
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  shutdownAzureMonitor(20_000).then(() => process.exit(0));
});
