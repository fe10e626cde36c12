'use strict';
/**
 * A/B of pipeline-bench.js between two builds of our packages, in alternated fresh child processes
 * (A, B, B, A, A, B ...: load changes hit both alike). Prints each side's median CPU µs per request
 * and B/A. A side is a directory holding `distro`, `core`, ... builds resolvable from there (a
 * snapshot of `node_modules/@appinsights-otel` with the packages' dist copied), or `packages` for
 * this tree's build.
 *
 *   node bench/src/app/pipeline-ab.js --a <dir> [--b packages] [--pairs 6] [--items default] [--requests 5000] [--runs 3]
 */
const path = require('node:path');
const { fork } = require('node:child_process');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const A = arg('a', undefined);
const B = arg('b', 'packages');
const PAIRS = Number(arg('pairs', '6'));
const ITEMS = arg('items', 'default');
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

function runSide(dir) {
  const args = ['--items', ITEMS, '--requests', arg('requests', '5000'), '--runs', arg('runs', '3'), ...(dir === 'packages' ? [] : ['--dist', dir])];
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'pipeline-bench.js'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => { result = m; });
    child.on('exit', (code) => (result ? resolve(result.cpuMicrosPerRequest) : reject(new Error(`${dir}: exit ${code}`))));
  });
}

async function main() {
  if (!A) throw new Error('--a <dir> is required');
  const a = [];
  const b = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 === 0 ? [[A, a], [B, b]] : [[B, b], [A, a]];
    for (const [dir, values] of order) values.push(await runSide(dir));
    console.log(`pair ${pair + 1}/${PAIRS}: A ${a.at(-1).toFixed(1)} B ${b.at(-1).toFixed(1)} µs/request`);
  }
  const ma = median(a);
  const mb = median(b);
  console.log(`A ${A}: ${ma.toFixed(1)} µs/request; B ${B}: ${mb.toFixed(1)} µs/request; B/A ${(mb / ma).toFixed(3)}, B-A ${(mb - ma).toFixed(1)} µs (items: ${ITEMS})`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
