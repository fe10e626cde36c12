'use strict';
/**
 * A/B/C in one process, alternated: the URL parser twice (URL.canParse, then new URL: what
 * readHttpFacts did for every HTTP span with a full URL until a18c8c7), once (new URL in a try: what
 * it did after) and core's simpleUrlParts, on the URLs of the bench app's three HTTP spans. Prints
 * the median CPU ns per URL of each over the rounds (process.cpuUsage).
 *
 *   node bench/src/app/url-ab.js [--rounds 9] [--urls 200000]
 */
const { URL } = require('node:url');
const { simpleUrlParts } = require(require('node:path').join(__dirname, '../../../packages/core/dist/mapping/trace/simple-url'));

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const ROUNDS = Number(arg('rounds', '9'));
const URLS = Number(arg('urls', '200000'));
const urls = [];
for (let i = 0; i < 1000; i++) urls.push(`http://127.0.0.1:3000/orders/${i}`, `http://127.0.0.1:40001/stock/${i}`, `http://127.0.0.1:40001/price/${i}`);
const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
let sink = 0;
const sides = {
  parser: (u) => { const url = URL.canParse(u) ? new URL(u) : undefined; sink += url.pathname.length + url.protocol.length; },
  once: (u) => { let url; try { url = new URL(u); } catch { url = undefined; } sink += url.pathname.length + url.protocol.length; },
  simple: (u) => { const p = simpleUrlParts(u); sink += p.pathname.length + p.scheme.length; },
};
const results = { parser: [], once: [], simple: [] };
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const name of round % 2 ? ['simple', 'once', 'parser'] : ['parser', 'once', 'simple']) {
    const f = sides[name];
    const before = cpuNow();
    for (let i = 0; i < URLS; i++) f(urls[i % urls.length]);
    if (round > 0) results[name].push(((cpuNow() - before) * 1000) / URLS);
  }
}
console.log(`parser twice ${median(results.parser).toFixed(0)} ns/URL, once ${median(results.once).toFixed(0)} ns/URL, simpleUrlParts ${median(results.simple).toFixed(0)} ns/URL (${sink > 0 ? 'ok' : ''})`);
