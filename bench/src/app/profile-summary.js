'use strict';
/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, written by the app when BENCH_APP_CPU_PROF names
 * a directory) by module: self time per package (`node_modules/<scope>/<name>`, nested copies kept
 * apart by their parent), per workspace package of ours (`packages/<name>`), Node internals, GC and
 * idle; builtins and Node internals count for the module that called them. Usage: node bench/src/app/profile-summary.js <file.cpuprofile> [top N]
 * [--functions]: with --functions, our own functions (packages/*) by self time instead, builtins and
 * Node internals counted for the function of ours that called them.
 */
const fs = require('node:fs');

/** The module a script URL belongs to (pure). */
function moduleOf(url, functionName) {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return functionName;
  if (!url) return '(native / V8 builtins)';
  // async context propagation (AsyncLocalStorage, promise hooks) is its own module, never its caller's
  if (/^node:(internal\/)?async_(hooks|local_storage)|^node:internal\/async_context/.test(url)) return 'node:async_hooks';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const parts = url.replace(/^file:\/\//, '').split('/node_modules/');
  if (parts.length > 1) {
    const names = parts.slice(1).map((p) => {
      const segs = p.split('/');
      return segs[0].startsWith('@') ? `${segs[0]}/${segs[1]}` : segs[0];
    });
    return names.length > 1 ? `${names[names.length - 1]} (in ${names[names.length - 2]})` : names[0];
  }
  const ours = /\/packages\/([^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  if (url.includes('/bench/src/app/')) return 'the app itself';
  return url;
}

const GENERIC = (key) => key === '(native / V8 builtins)' || (key.startsWith('node:') && key !== 'node:async_hooks');

/**
 * Time (µs) per module, from the profile's samples and time deltas (pure). A sample in a V8 builtin
 * or a Node internal (JSON.stringify, a socket write) counts for the nearest caller that is a module
 * (the package that asked for it); only when there is none does it stay with the internal.
 */
function selfTimeByModule(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const keyOf = new Map();
  const attribute = (id) => {
    if (keyOf.has(id)) return keyOf.get(id);
    const node = byId.get(id);
    let key = moduleOf(node.callFrame.url, node.callFrame.functionName);
    if (GENERIC(key) && parentOf.has(id)) {
      const up = attribute(parentOf.get(id));
      if (!GENERIC(up) && !up.startsWith('(')) key = up;
    }
    keyOf.set(id, key);
    return key;
  };
  const totals = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const key = attribute(profile.samples[i]);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return totals;
}

/** `name (packages/<pkg>/<path>:<line>)` of a profile node of ours, or undefined (pure). */
function ownFunctionOf(node) {
  const { url, functionName, lineNumber } = node.callFrame;
  const at = /\/(packages\/[^/]+\/.*)$/.exec(url.replace(/^file:\/\//, ''));
  if (!at || at[1].includes('/node_modules/')) return undefined;
  return `${functionName || '(anonymous)'} (${at[1]}:${lineNumber + 1})`;
}

/**
 * Time (µs) per function of ours (pure): a sample in one of our functions counts for it; a sample
 * in a builtin or a Node internal counts for the nearest caller when that caller is ours.
 */
function selfTimeByOwnFunction(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const keyOf = (id) => {
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at);
      const own = ownFunctionOf(node);
      if (own) return own;
      const key = moduleOf(node.callFrame.url, node.callFrame.functionName);
      if (!GENERIC(key)) return undefined; // a package's own code: not ours
    }
    return undefined;
  };
  const totals = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const key = keyOf(profile.samples[i]);
    if (key) totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return totals;
}

/** The parts issue 25 attributes the added CPU to, by module (first match wins); the rest is the app. */
const PARTS = [
  ['HTTP server and client instrumentation', /instrumentation-http\b/],
  ['undici (fetch) instrumentation', /instrumentation-undici/],
  ['pg instrumentation', /instrumentation-pg/],
  ['express instrumentation (layers)', /instrumentation-express/],
  ['winston instrumentation and log SDK', /instrumentation-winston|winston-transport|sdk-logs|api-logs/],
  ['context manager (AsyncLocalStorage, async hooks)', /context-async-hooks|^node:async_hooks/],
  ['span creation, attributes, sampler, span processors (OTel SDK, API)', /sdk-trace|@opentelemetry\/core|@opentelemetry\/api\b|semantic-conventions|@opentelemetry\/instrumentation\b|require-in-the-middle|import-in-the-middle|shimmer/],
  ['standard metrics and performance counters (metrics SDK)', /sdk-metrics/],
  ['ours: distro (operation names, tap, Live Metrics, standard metrics)', /^ours: distro/],
  ['ours: exporters and core (mapping, serialization, delivery)', /^ours: (core|exporter-)/],
  ["official: distro, exporter and Azure core", /@azure\/|@typespec\//],
  ['garbage collector', /garbage collector/],
];

/** The part of {@link PARTS} a module belongs to, or `app and Node` (pure). */
function partOf(moduleKey) {
  return PARTS.find(([, pattern]) => pattern.test(moduleKey))?.[0] ?? 'app, its libraries and Node';
}

/**
 * CPU µs per request by part, for one profile of a measured window (pure): each part's share of the
 * profile's busy samples times the CPU per request measured by process.cpuUsage() for that window
 * (profile sample times are wall-clock intervals and grow with the machine's load; the shares do not).
 */
function microsPerRequestByPart(profile, cpuMicrosPerRequest) {
  const byPart = new Map();
  let busy = 0;
  for (const [key, micros] of selfTimeByModule(profile)) {
    if (key === '(idle)' || key === '(program)' || key === '(root)') continue;
    const part = partOf(key);
    byPart.set(part, (byPart.get(part) ?? 0) + micros);
    busy += micros;
  }
  return new Map([...byPart].map(([part, micros]) => [part, (micros / busy) * cpuMicrosPerRequest]));
}

function main() {
  const args = process.argv.slice(2);
  const functions = args.includes('--functions');
  const [file, top = '30'] = args.filter((a) => a !== '--functions');
  if (!file) throw new Error('usage: profile-summary.js <file.cpuprofile> [top N] [--functions]');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const modules = selfTimeByModule(profile);
  const busy = [...modules].filter(([k]) => k !== '(idle)').reduce((s, [, v]) => s + v, 0);
  const totals = functions ? selfTimeByOwnFunction(profile) : modules;
  console.log(`| ${functions ? 'function of ours' : 'module'} | self ms | share of busy time |\n|:--|--:|--:|`);
  for (const [key, micros] of [...totals].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`| ${key} | ${(micros / 1000).toFixed(0)} | ${((100 * micros) / busy).toFixed(1)}% |`);
  }
}

if (require.main === module) main();

module.exports = { moduleOf, selfTimeByModule, selfTimeByOwnFunction, partOf, microsPerRequestByPart, PARTS };
