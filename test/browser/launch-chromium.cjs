'use strict';
// Finds the operating system's Chromium and launches it headless for the browser tests, with a
// new empty profile and nothing but loopback reachable: requests to any other host are aborted
// and recorded (browser.foreignRequests), and the resolver maps every other name to nowhere.
const fs = require('node:fs');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];
const LOOPBACK_URL = /^(https?|wss?):\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;

/** The Chromium executable (CHROMIUM_PATH or a distribution path); throws a clear error when there is none. */
function findChromium() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CANDIDATES;
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${candidates.join(', ')}). The browser tests use the operating system's Chromium and never download one: install it with \`apt-get update && apt-get install -y --no-install-recommends chromium\`, or set CHROMIUM_PATH.`);
  }
  return found;
}

/** Launches headless Chromium with a new empty user data dir; the returned context records foreign requests. */
async function launchChromium(executablePath, userDataDir) {
  const { chromium } = require('playwright-core');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-domain-reliability', '--no-pings',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
  context.foreignRequests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOOPBACK_URL.test(url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    context.foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return context;
}

module.exports = { findChromium, launchChromium };
