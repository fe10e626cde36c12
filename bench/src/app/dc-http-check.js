'use strict';
/**
 * `node bench/src/app/dc-http-ab.js --check`: the spans the HTTP instrumentation (`instr`) and the
 * diagnostics_channel prototype (`dc`, dc-http-spans.js) record for the same requests, each in a
 * fresh process, printed and compared: names, kinds, status, parent (which span of the scenario, or
 * none) and attributes (ports normalised). Scenarios: a plain round trip, a server that calls out
 * while serving (the outgoing span must be the server span's child), a 500, a request the client
 * aborts before an answer, a refused connection, and 4 concurrent requests whose handlers each call
 * out twice in a callback chain over one shared socket (queued: the context their response
 * listeners run in decides the second call's parent; compared as trace shapes). `--modes dc,dc-server,...` compares each of those
 * with instr (default: dc). Exit code 1 when any differs.
 */
const { fork } = require('node:child_process');
const path = require('node:path');
const { SpanKind, SpanStatusCode } = require('@opentelemetry/api');

const SCENARIOS = ['plain', 'nested', 'fail', 'abort', 'refused', 'concurrent-chained'];
const CONCURRENT = 4;
const VOLATILE = new Set(['network.peer.port']);
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One span, comparable across processes: ids replaced by the index of the parent in the scenario. */
function describe(span, spans, port) {
  const parentId = parentIdOf(span);
  const parent = parentId === undefined ? 'none' : spans.findIndex((s) => s.spanContext().spanId === parentId);
  const attributes = {};
  for (const key of Object.keys(span.attributes).sort()) {
    const value = span.attributes[key];
    attributes[key] = VOLATILE.has(key) ? 'N' : String(value).replaceAll(String(port), 'PORT');
  }
  return { name: span.name, kind: SpanKind[span.kind], status: SpanStatusCode[span.status.code], parent: parent === -1 ? 'outside' : parent, events: span.events.map((e) => e.name), attributes };
}

const parentIdOf = (span) => span.parentSpanContext?.spanId ?? span.parentSpanId;

/** Parents before children, by depth (start times are not ordered within a millisecond: the SDK anchors them on Date.now()). */
function inTreeOrder(spans) {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const depth = (s) => (byId.has(parentIdOf(s)) ? 1 + depth(byId.get(parentIdOf(s))) : 0);
  return spans.map((s) => [depth(s), s.kind, s]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((entry) => entry[2]);
}

function describeAll(ended, port) {
  const spans = inTreeOrder(ended);
  return spans.map((s) => describe(s, spans, port));
}

/** Concurrent requests: each trace's spans (kind and parent index only), and how many traces have each shape. */
function traceShapes(ended, port) {
  const byTrace = new Map();
  for (const span of ended) byTrace.set(span.spanContext().traceId, [...(byTrace.get(span.spanContext().traceId) ?? []), span]);
  const counts = {};
  for (const spans of byTrace.values()) {
    const shape = describeAll(spans, port).map((d) => `${d.kind}<-${d.parent}`).join(' ');
    counts[shape] = (counts[shape] ?? 0) + 1;
  }
  return counts;
}

async function runScenario(name, { get }) {
  if (name === 'abort') {
    const http = require('node:http');
    const { port } = get;
    await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/hang' });
      req.on('error', () => {});
      req.on('close', resolve);
      setTimeout(() => req.destroy(), 30);
    });
    return;
  }
  if (name === 'refused') { await get('/refused', undefined, 1).catch(() => {}); return; }
  if (name === 'concurrent-chained') {
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT });
    await Promise.all(Array.from({ length: CONCURRENT }, () => get('/chained', agent)));
    agent.destroy();
    return;
  }
  await get(name === 'plain' ? '/orders/7?x=1' : `/${name}`);
}

/** In a child: records every ended span of each scenario with the given mode's telemetry. */
async function recordScenarios(mode) {
  const { SPECS, startRoundTrips } = require('./dc-http-ab');
  let ended = [];
  const spec = { ...SPECS[mode], options: { ...SPECS[mode].options, onSpanEnd: (span) => ended.push(span) } };
  const stopTelemetry = require('./telemetry').startTelemetry(spec);
  const trips = await startRoundTrips(require('node:http'));
  trips.get.port = trips.port;
  const result = {};
  for (const name of SCENARIOS) {
    ended = [];
    await runScenario(name, trips);
    await settle(100);
    result[name] = name === 'concurrent-chained' ? traceShapes(ended, trips.port) : describeAll(ended, trips.port);
  }
  trips.stop();
  await stopTelemetry();
  return result;
}

function inChild(mode) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'dc-http-ab.js'), ['--check', '--mode', mode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => { result = m; });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${mode}: exit ${code}`))));
  });
}

/** Without `mode`: records `instr` and each of `others` in fresh processes and compares them. */
async function check(mode, others = ['dc']) {
  if (mode) { process.send(await recordScenarios(mode)); return; }
  const instr = await inChild('instr');
  let differences = 0;
  for (const other of others) {
    const recorded = await inChild(other);
    for (const name of SCENARIOS) {
      const same = JSON.stringify(instr[name]) === JSON.stringify(recorded[name]);
      if (other === others[0]) console.log(`\n== ${name}\ninstr: ${JSON.stringify(instr[name], null, 1)}`);
      if (!same) differences++;
      console.log(same ? `${other} (${name}): the same` : `${other} (${name}): ${JSON.stringify(recorded[name], null, 1)}`);
    }
  }
  console.log(`\n${differences} of ${SCENARIOS.length * others.length} scenario comparisons differ`);
  if (differences) process.exitCode = 1;
}

module.exports = { check };
