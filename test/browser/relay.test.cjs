'use strict';
/* global window, fetch -- used only inside page.evaluate callbacks, which run in the browser */
// The browser relay with a real browser: headless Chromium from the operating system's packages
// (playwright-core, never a browser download) loads a page of an express app (a child process) that
// bundles the unmodified @microsoft/applicationinsights-web from npm, pointed at the app's own origin.
// The app forwards through the relay to the emulator in Entra-only mode with its managed identity,
// and traces itself with useAzureMonitor(). Run with `npm run test:browser` (after `npm run build`).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild-wasm');
const { findChromium, launchChromium } = require('./launch-chromium.cjs');

const REPO_ROOT = path.join(__dirname, '..', '..');
const chromiumPath = findChromium();
const { startEmulator, DEFAULT_IDS } = require('@appinsights-otel/emulator');

let emulator;
let app;
let appOrigin;
let browser;
let page;
let workDir;
const pageRequests = [];
const consoleErrors = [];

/** Bundle the page script with the web SDK exactly as npm installed it. */
async function bundlePage(outFile) {
  const result = await esbuild.build({
    entryPoints: [path.join(__dirname, 'relay-page.js')],
    bundle: true, write: false, format: 'iife', target: 'es2020', logLevel: 'warning',
  });
  fs.writeFileSync(outFile, result.outputFiles[0].text);
}

/** Start the app as a child process; resolves with its origin once it prints its port. */
function startApp(bundleFile) {
  app = fork(path.join(__dirname, 'relay-app.cjs'), {
    cwd: REPO_ROOT,
    execArgv: ['--require', path.join(REPO_ROOT, 'scripts', 'network-guard.cjs')],
    env: {
      ...process.env,
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
      OTEL_SERVICE_NAME: 'shop',
      RELAY_PAGE_BUNDLE: bundleFile,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  app.stderr.on('data', (c) => { stderr += c; });
  return new Promise((resolve, reject) => {
    let out = '';
    app.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(`http://127.0.0.1:${JSON.parse(line).port}`);
    });
    app.on('exit', (code) => reject(new Error(`the app exited (${code}) before listening: ${stderr}`)));
  });
}

/** Poll the emulator until `check` holds, flushing the page's SDK each round. */
async function eventually(what, check, timeoutMillis = 30_000) {
  const until = Date.now() + timeoutMillis;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await page.evaluate(() => window.appInsights.flush()).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  emulator = await startEmulator();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-browser-'));
  const bundleFile = path.join(workDir, 'app.js');
  await bundlePage(bundleFile);
  appOrigin = await startApp(bundleFile);
  browser = await launchChromium(chromiumPath, fs.mkdtempSync(path.join(os.tmpdir(), 'relay-chromium-')));
  page = await browser.newPage();
  page.on('request', (r) => pageRequests.push({ url: r.url(), headers: r.headers(), body: r.postData() ?? '' }));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
});

after(async () => {
  await browser?.close();
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.send('shutdown');
    await exited;
  }
  await emulator?.close();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  assert.deepEqual(browser ? browser.foreignRequests : [], [], 'the browser tried to open something other than loopback');
});

test('page view, browser timings, the fetch dependency and a thrown exception arrive through the relay under the server identity, in the server request\'s operation', async () => {
  await page.goto(`${appOrigin}/`);
  await page.waitForFunction(() => window.appInsights !== undefined);
  const items = await page.evaluate(() => fetch('/api/items').then((r) => r.json()));
  assert.deepEqual(items, { items: [1, 2, 3] });
  await page.evaluate(() => { setTimeout(() => { throw new Error('boom from the page'); }, 0); });

  const pageView = await eventually('the page view', () => emulator.items('pageViews').find((r) => r.name === 'shop home'));
  const dependency = await eventually('the fetch dependency', () => emulator.items('dependencies').find((r) => String(r.name).includes('/api/items')));
  const exception = await eventually('the exception', () => emulator.items('exceptions').find((r) => JSON.stringify(r).includes('boom from the page')));
  const request = await eventually('the server request', () => emulator.items('requests').find((r) => String(r.url).endsWith('/api/items')));
  // The SDK sends its page view performance as PageviewPerformanceData; the relay forwards it as the contract's PageViewPerfData.
  await eventually('the SDK\'s page view performance item', () => pageRequests.some((r) => r.body.includes('"PageviewPerformanceData"')));
  const timing = await eventually('the browser timings', () => emulator.items('browserTimings')[0]);

  // Browser items carry the server's resource and the browser role; the server request its own role.
  for (const [kind, row] of [['pageView', pageView], ['browserTiming', timing], ['dependency', dependency], ['exception', exception]]) {
    assert.deepEqual({ kind, iKey: row.iKey, role: row.cloud_RoleName, ip: row.client_IP }, { kind, iKey: DEFAULT_IDS.instrumentationKey, role: 'shop-browser', ip: '127.0.0.1' });
  }
  assert.equal(request.cloud_RoleName, 'shop');
  // filterRequests (as docs/browser-relay.md suggests) keeps the relay's own posts out of the server's requests.
  assert.deepEqual(emulator.items('requests').filter((r) => String(r.url).includes('/ai-relay')).map((r) => r.url), []);
  assert.equal(dependency.type, 'Fetch');
  // One operation from the page view to the server: W3C traceparent on the page's fetch.
  assert.equal(dependency.operation_Id, pageView.operation_Id);
  assert.equal(request.operation_Id, pageView.operation_Id);
  // The SDK names its fetch `|<trace id>.<span id>.`; the server request's parent is that span.
  assert.equal(dependency.id, `|${pageView.operation_Id}.${request.operation_ParentId}.`);

  // Nothing in the browser authenticated: the page only talked to the app's origin, with no token.
  const relayPosts = pageRequests.filter((r) => r.url.startsWith(`${appOrigin}/ai-relay/`));
  assert.ok(relayPosts.length > 0, 'the SDK posted to the relay');
  assert.deepEqual(pageRequests.filter((r) => !r.url.startsWith(appOrigin)).map((r) => r.url), []);
  assert.deepEqual(pageRequests.filter((r) => r.headers.authorization !== undefined).map((r) => r.url), []);
  assert.deepEqual(consoleErrors.filter((e) => !e.includes('boom from the page')), []);
});
