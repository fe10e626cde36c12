'use strict';
/**
 * A/B in one process, alternated: `isOwnUrl` of the distro's own-request matcher (what fetch's
 * `ignoreRequestHook` asks for every request, with the request's origin) from two builds.
 * Prints the median CPU ns per call of each over the rounds.
 *
 *   node bench/src/app/own-url-ab.js <dist/instrumentations dir A> [<dir B>, default this tree's]
 */
const path = require('node:path');

const dirA = process.argv[2];
const dirB = process.argv[3] ?? path.join(__dirname, '../../../packages/distro/dist/instrumentations');
const origins = ['https://westeurope-5.in.applicationinsights.azure.com/', 'https://westeurope.livediagnostics.monitor.azure.com/'];
const matchers = { A: require(path.join(dirA, 'own-requests')).createOwnRequestMatcher(origins), B: require(path.join(dirB, 'own-requests')).createOwnRequestMatcher(origins) };
const urls = ['http://127.0.0.1:40001', 'http://127.0.0.1:40002', 'https://api.example.com'];
const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const CALLS = 300_000;
const results = { A: [], B: [] };
let own = 0;
for (let round = 0; round < 10; round++) {
  for (const side of round % 2 ? ['B', 'A'] : ['A', 'B']) {
    const m = matchers[side];
    const before = cpuNow();
    for (let i = 0; i < CALLS; i++) if (m.isOwnUrl(urls[i % 3])) own++;
    if (round > 0) results[side].push(((cpuNow() - before) * 1000) / CALLS);
  }
}
console.log(`isOwnUrl: A ${median(results.A).toFixed(0)} ns/call, B ${median(results.B).toFixed(0)} ns/call (${own} own)`);
