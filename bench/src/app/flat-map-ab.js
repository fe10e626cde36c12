'use strict';
/**
 * A/B in one process, alternated: `Array.prototype.flatMap` against a loop pushing into one array,
 * for 32 items that map to one or two objects each (a mapping step of the trace exporter: spans to
 * envelopes). Prints the median CPU ns per item of each.
 *
 *   node bench/src/app/flat-map-ab.js
 */
const spans = Array.from({ length: 32 }, (_, i) => ({ i }));
const map = (s) => (s.i % 7 === 0 ? [{ a: s.i }, { b: s.i }] : [{ a: s.i }]);
const loop = (items) => { const out = []; for (const s of items) { const e = map(s); for (let k = 0; k < e.length; k++) out.push(e[k]); } return out; };
const fm = (items) => items.flatMap(map);
const cpu = () => process.cpuUsage().user; const r = { fm: [], loop: [] }; let n = 0;
for (let round = 0; round < 11; round++) for (const [k, f] of round % 2 ? [['loop', loop], ['fm', fm]] : [['fm', fm], ['loop', loop]]) {
  const t = cpu(); for (let i = 0; i < 20000; i++) n += f(spans).length; if (round) r[k].push((cpu() - t) / 20000 / 32 * 1000);
}
const med = (v) => v.sort((a, b) => a - b)[5];
console.log(`flatMap ${med(r.fm).toFixed(0)} ns/span, loop ${med(r.loop).toFixed(0)} ns/span (${n} envelopes)`);
