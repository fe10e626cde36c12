'use strict';
/* global fetch, document -- fetch is Node's global; document is only used inside page.evaluate/waitForFunction callbacks, which run in the browser */
// The emulator's inspector page in a real browser: headless Chromium from the operating system's
// packages, driven by playwright-core (never a browser download). Run with `npm run test:browser`
// (after `npm run build`). Screenshots go to docs/images/inspector-*.png on every run.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { findChromium, launchChromium } = require('./launch-chromium.cjs');

const REPO_ROOT = path.join(__dirname, '..', '..');
const IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const SHOW_WITHIN_MILLIS = 2_000;

const chromiumPath = findChromium();
const { startEmulator, DEFAULT_IDS } = require('@appinsights-otel/emulator');
const { AzureMonitorTraceExporter } = require('@appinsights-otel/exporter-trace');
const { SpanKind, context, trace } = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

/** A credential that mints emulator tokens for one identity (counts its calls). */
function emulatorCredential(emulator, identity) {
  const credential = {
    calls: 0,
    async getToken() {
      credential.calls++;
      return { token: emulator.issueToken({ identity }), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

/** Spans of one operation: a server request with a client dependency under it and a log event on it. */
function operationSpans(urlPath) {
  const name = `GET ${urlPath}`;
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('inspector-browser-test');
  const server = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': urlPath, 'http.response.status_code': 200 } });
  server.addEvent('cart loaded', { items: 3 });
  const child = tracer.startSpan('SELECT carts', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM carts', 'server.address': 'db.local' } }, trace.setSpan(context.active(), server));
  child.end();
  server.end();
  return { spans: memory.getFinishedSpans(), operationId: server.spanContext().traceId };
}

function exportSpans(exporter, spans) {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** A raw request to the emulator with chosen headers (the browser cannot forge Host). */
function rawRequest(port, { method = 'GET', path: p = '/inspector/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let emulator;
let browser;
let page;
const consoleErrors = [];
const exporters = [];
const makeExporter = (identity) => {
  const exporter = new AzureMonitorTraceExporter({ connectionString: emulator.connectionString(), credential: emulatorCredential(emulator, identity), disableOfflineStorage: true, exportTimeoutMillis: 5_000 });
  exporters.push(exporter);
  return exporter;
};
const shot = (name) => page.screenshot({ path: path.join(IMAGES, `inspector-${name}.png`), fullPage: false });
const tab = (name) => page.click(`nav button[data-tab="${name}"]`);

before(async () => {
  fs.mkdirSync(IMAGES, { recursive: true });
  emulator = await startEmulator();
  browser = await launchChromium(chromiumPath, fs.mkdtempSync(path.join(os.tmpdir(), 'inspector-chromium-')));
  page = await browser.newPage();
  await page.setViewportSize({ width: 1400, height: 860 });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(emulator.inspectorUrl);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await Promise.all(exporters.map((e) => e.shutdown()));
  await browser?.close();
  await emulator?.close();
  assert.deepEqual(browser ? browser.foreignRequests : [], [], 'the browser tried to open something other than loopback');
});

test('the page loads with no console error', async () => {
  await page.waitForSelector('#requests-table .tabulator-header');
  assert.equal(await page.title(), 'Application Insights emulator inspector');
  assert.deepEqual(consoleErrors, []);
});

test('an item sent by our exporter shows up within 2 s', async () => {
  const { spans } = operationSpans('/checkout');
  const result = await exportSpans(makeExporter(DEFAULT_IDS.servicePrincipalName), spans);
  assert.equal(result.code, 0);
  const sent = Date.now();
  const row = page.locator('#requests-table .tabulator-row', { hasText: 'ci-principal holds Monitoring Metrics Publisher' }).first();
  await row.waitFor({ timeout: SHOW_WITHIN_MILLIS });
  const shownAfter = Date.now() - sent;
  assert.match(await row.innerText(), /v2\.1\/track[\s\S]*200[\s\S]*3\/3/);
  await row.click();
  await page.locator('#request-detail', { hasText: 'aud    https://monitor.azure.com' }).waitFor();
  process.stdout.write(`# request shown ${shownAfter} ms after the export answered\n`);
  await tab('telemetry');
  await page.locator('#items-table .tabulator-row', { hasText: 'GET /checkout' }).first().waitFor({ timeout: SHOW_WITHIN_MILLIS });
  await shot('telemetry');
  await tab('requests');
});

test("a no-role identity's 403 shows the identity and the missing role", async () => {
  const result = await exportSpans(makeExporter(DEFAULT_IDS.noRoleName), operationSpans('/denied').spans);
  // Our exporter keeps a refused batch queued (and says so in one diagnostic line); the page shows why.
  assert.equal(typeof result.code, 'number');
  const row = page.locator('#requests-table .tabulator-row', { hasText: 'identity no-role lacks Monitoring Metrics Publisher on this resource' }).first();
  await row.waitFor({ timeout: SHOW_WITHIN_MILLIS });
  assert.match(await row.innerText(), /403/);
  await row.click();
  const detail = await page.locator('#request-detail').innerText();
  assert.match(detail, new RegExp(`oid\\s+${DEFAULT_IDS.noRoleObjectId}\\s+\\(no-role\\)`));
  assert.match(detail, /roles\s+\(none on this resource\)/);
  assert.doesNotMatch(detail, /eyJ/, 'no raw token on the page');
  const message = JSON.stringify([{ name: 'Microsoft.ApplicationInsights.Message', time: new Date().toISOString(), iKey: emulator.resource().instrumentationKey, data: { baseType: 'MessageData', baseData: { ver: 2, message: 'hello' } } }]);
  const ikeyOnly = await fetch(`${emulator.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: message });
  assert.equal(ikeyOnly.status, 401);
  await page.locator('#requests-table .tabulator-row', { hasText: 'local authentication disabled: no token sent' }).first().waitFor({ timeout: SHOW_WITHIN_MILLIS });
  const managementToken = emulator.issueToken({ identity: DEFAULT_IDS.servicePrincipalName, audience: 'https://management.azure.com' });
  const wrongAudience = await fetch(`${emulator.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${managementToken}` }, body: message });
  assert.equal(wrongAudience.status, 401);
  await page.locator('#requests-table .tabulator-row', { hasText: 'audience https://management.azure.com is not https://monitor.azure.com' }).first().waitFor({ timeout: SHOW_WITHIN_MILLIS });
  await page.locator('#requests-table .tabulator-row', { hasText: '403' }).first().click();
  await shot('requests');
});

test('switching the role on makes the next export succeed', async () => {
  await tab('identities');
  const box = page.locator(`[data-testid="role-no-role-${DEFAULT_IDS.resourceName}-Monitoring Metrics Publisher"]`);
  await box.check();
  await page.waitForFunction(() => !document.querySelector('[data-testid="role-no-role-entra-only-Monitoring Metrics Publisher"]')?.disabled);
  await shot('identities');
  const result = await exportSpans(makeExporter(DEFAULT_IDS.noRoleName), operationSpans('/allowed').spans);
  assert.equal(result.code, 0);
  await tab('requests');
  await page.locator('#requests-table .tabulator-row', { hasText: 'identity no-role holds Monitoring Metrics Publisher' }).first().waitFor({ timeout: SHOW_WITHIN_MILLIS });
  await tab('identities');
  await page.locator(`[data-testid="role-no-role-${DEFAULT_IDS.resourceName}-Monitoring Metrics Publisher"]`).uncheck();
  await page.waitForFunction(() => !document.querySelector('[data-testid="role-no-role-entra-only-Monitoring Metrics Publisher"]')?.disabled);
  assert.equal(emulator.resource().name, DEFAULT_IDS.resourceName);
});

test('a KQL query with render timechart draws a chart', async () => {
  await tab('logs');
  // Microsoft's Kusto editor (monaco-kusto) with the emulator's schema: completion offers the tables.
  await page.waitForSelector('#kql[data-schema="ready"] .monaco-editor', { timeout: 30_000 });
  await page.click('#kql .view-lines');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type('requests | where resultC', { delay: 20 });
  await page.locator('#kql .suggest-widget.visible', { hasText: 'resultCode' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('requests\n| summarize count() by bin(timestamp, 1m)\n| render timechart');
  await page.click('#run-query');
  // The first query loads the Kusto parser (several seconds on a busy machine).
  await page.waitForSelector('#chart-box[data-visualization="timechart"]:not([hidden])', { timeout: 30_000 });
  const drawn = await page.$eval('#query-chart', (c) => c.width > 0 && c.height > 0);
  assert.equal(drawn, true);
  await shot('logs');
});

test('the transaction view shows a request with its dependency and log', async () => {
  const { spans, operationId } = operationSpans('/transaction');
  assert.equal((await exportSpans(makeExporter(DEFAULT_IDS.servicePrincipalName), spans)).code, 0);
  await tab('transaction');
  await page.fill('#operation-id', operationId);
  await page.click('#show-transaction');
  const request = page.locator('#transaction li[data-kind="request"]', { hasText: 'GET /transaction' });
  await request.waitFor();
  await request.locator('li[data-kind="dependency"]', { hasText: 'carts' }).waitFor();
  await request.locator('li[data-kind="trace"]', { hasText: 'cart loaded' }).waitFor();
  await shot('transaction');
});

test('the Live Metrics view charts incoming posts', async () => {
  await tab('live');
  await page.locator('#live-status', { hasText: 'watching' }).waitFor();
  assert.equal(emulator.liveMetrics.isSubscribed(), true, 'opening the view watches the resource');
  const token = emulator.issueToken({ identity: DEFAULT_IDS.servicePrincipalName });
  const ikey = emulator.resource().instrumentationKey;
  for (let i = 0; i < 3; i++) {
    const point = {
      Version: 'inspector-test', InvariantVersion: 5, Instance: 'i', RoleName: 'r', MachineName: 'm', StreamId: 's1', Timestamp: new Date().toISOString(), IsWebApp: false, PerformanceCollectionSupported: true,
      Metrics: [
        { Name: '\\ApplicationInsights\\Requests/Sec', Value: 2 + i, Weight: 1 },
        { Name: '\\ApplicationInsights\\Request Duration', Value: 10 * (i + 1), Weight: 1 },
        { Name: '\\ApplicationInsights\\Requests Failed/Sec', Value: i, Weight: 1 },
      ],
      Documents: [{ DocumentType: 'Request', Name: `GET /live/${i}`, Url: `http://localhost/live/${i}`, ResponseCode: '200', Duration: 'PT0.012S', Properties: [] }],
    };
    const res = await fetch(`${emulator.ingestionUrl}/QuickPulseService.svc/post?ikey=${ikey}&api-version=2024-04-01-preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ms-qps-stream-id': 's1', authorization: `Bearer ${token}` },
      body: JSON.stringify([point]),
    });
    assert.equal(res.status, 200, await res.text());
  }
  await page.waitForFunction(() => Number(document.getElementById('live-status')?.dataset.posts ?? 0) >= 3, undefined, { timeout: 5_000 });
  await page.waitForFunction(() => Number(document.getElementById('live-rates')?.dataset.points ?? 0) >= 3 && Number(document.getElementById('live-durations')?.dataset.points ?? 0) >= 3, undefined, { timeout: 5_000 });
  await page.locator('#live-documents li', { hasText: 'GET /live/2' }).waitFor();
  // The filter configuration editor: what the emulator serves to SDKs, saved through its admin endpoint.
  const configuration = {
    Metrics: [{ Id: 'slow-checkouts', TelemetryType: 'Request', FilterGroups: [{ Filters: [{ FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.00:00:00.5' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' }],
    DocumentStreams: [{ Id: 'failures', DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] } }] }],
  };
  await page.fill('#live-config', JSON.stringify(configuration, null, 2));
  await page.click('#live-config-save');
  await page.locator('#live-config-status', { hasText: 'saved: ETag' }).waitFor();
  assert.deepEqual(emulator.liveMetrics.configuration().Metrics.map((m) => m.Id), ['slow-checkouts']);
  assert.deepEqual(emulator.liveMetrics.configuration().DocumentStreams.map((d) => d.Id), ['failures']);
  await shot('live-metrics');
  await page.click('#live-config-reset');
  await page.waitForFunction(() => !document.getElementById('live-config')?.value.includes('slow-checkouts'));
  assert.deepEqual(emulator.liveMetrics.configuration().Metrics, []);
  await tab('requests');
  await page.locator('#live-status', { hasText: 'not watched' }).waitFor({ state: 'attached' });
  assert.equal(emulator.liveMetrics.isSubscribed(), false, 'leaving the view stops watching');
});

test('a request with a foreign Host header is refused, and so is a cross-site change', async () => {
  const port = emulator.port;
  const foreign = await rawRequest(port, { headers: { host: `attacker.example:${port}` } });
  assert.equal(foreign.status, 421);
  assert.match(foreign.text, /only requests addressed to this emulator/);
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  const chaosForeign = await rawRequest(port, { method: 'POST', path: '/admin/chaos', headers: { host: `rebind.example:${port}` }, body: '{"count":1,"status":503}' });
  assert.equal(chaosForeign.status, 421);
  const chaosCrossSite = await rawRequest(port, { method: 'POST', path: '/admin/chaos', headers: { host: `127.0.0.1:${port}`, origin: 'http://attacker.example', 'content-type': 'text/plain' }, body: '{"count":1,"status":503}' });
  assert.equal(chaosCrossSite.status, 403);
  assert.equal(emulator.chaos.pending(), 0);
  const body = JSON.stringify({ identity: 'no-role', resource: DEFAULT_IDS.resourceName, role: 'Reader', granted: true });
  const crossSite = await rawRequest(port, { method: 'POST', path: '/inspector/api/roles', headers: { host: `127.0.0.1:${port}`, origin: 'http://attacker.example', 'content-type': 'application/json' }, body });
  assert.equal(crossSite.status, 403);
  const rolesOfNoRole = async () => JSON.parse((await rawRequest(port, { path: '/inspector/api/identities', headers: { host: `localhost:${port}` } })).text)
    .identities.find((i) => i.name === 'no-role').roles[DEFAULT_IDS.resourceName];
  assert.deepEqual(await rolesOfNoRole(), []);
  const withSecret = await rawRequest(port, { method: 'POST', path: '/inspector/api/roles', headers: { host: `127.0.0.1:${port}`, 'x-inspector-secret': emulator.inspectorSecret, 'content-type': 'application/json' }, body });
  assert.equal(withSecret.status, 200);
  assert.deepEqual(await rolesOfNoRole(), ['Reader']);
  emulator.removeRole('no-role', undefined, 'Reader');
  const inBrowser = await page.evaluate(async () => (await fetch('api/identities')).status);
  assert.equal(inBrowser, 200);
  assert.deepEqual(consoleErrors, []);
});
