'use strict';
/**
 * Issue 25: HTTP spans from Node's diagnostics_channel (dc-http-spans.js, bench-only prototype)
 * against the HTTP instrumentation, per HTTP round trip on loopback (an http server and an
 * http.get client, keep-alive, one request in flight, both ends in one process: a CLIENT and a
 * SERVER span per round trip). Each side runs in alternated fresh child processes (the order rotated
 * each alternation, so load changes hit all alike); a child measures `--runs` runs of `--requests`
 * round trips after a warm-up and reports its median and fastest run's CPU µs per round trip
 * (process.cpuUsage); the parent prints the median over processes of each, per mode.
 *
 * Modes (telemetry.js `otel-floor`, every span recorded, the exporter drops them; no MeterProvider):
 *   instr     the HTTP instrumentation, configured as the floor configures it
 *   dc        the diagnostics_channel prototype
 *   dc-bind   the prototype also binding request/response emitters to the context (as instr does)
 *   dc-server, dc-client   that side from the prototype, the other by the instrumentation
 *   none      the same SDK, context manager and propagators, no HTTP spans (the baseline)
 *   bare      no telemetry at all
 *
 *   node bench/src/app/dc-http-ab.js [--modes instr,dc,none] [--alternations 8] [--requests 2000] [--runs 3]
 *   node bench/src/app/dc-http-ab.js --check [--modes dc,dc-bind,dc-server,dc-client]   # the spans each records, compared with instr's
 */
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const { startTelemetry } = require('./telemetry');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const cpuNow = () => { const c = process.cpuUsage(); return c.user + c.system; };

const SPECS = {
  instr: { distro: 'otel-floor', options: { record: true, instrumentations: ['http'] } },
  dc: { distro: 'otel-floor', options: { record: true, instrumentations: [], httpSpans: 'dc' } },
  'dc-bind': { distro: 'otel-floor', options: { record: true, instrumentations: [], httpSpans: 'dc', bindEmitters: true } },
  'dc-server': { distro: 'otel-floor', options: { record: true, instrumentations: ['http'], httpSpans: 'dc-server' } },
  'dc-client': { distro: 'otel-floor', options: { record: true, instrumentations: ['http'], httpSpans: 'dc-client' } },
  none: { distro: 'otel-floor', options: { record: true, instrumentations: [] } },
  bare: { distro: 'none' },
};

/**
 * Two calls to `/plain`, the second started from the first's response 'end' listener (callback
 * style, no promise): which context that listener runs in decides the second call's parent.
 */
function chainedCalls(http, port, agent, done) {
  const call = (then) => http.get({ host: '127.0.0.1', port, path: '/plain', agent }, (res) => { res.resume(); res.on('end', then); }).on('error', done);
  call(() => call(done));
}

/**
 * The server (answers JSON; `/nested` first calls `/plain` itself, `/chained` calls it twice in a
 * callback chain, `/fail` answers 500, `/hang` never answers) and a client. The server's own calls
 * share one socket (maxSockets 1), so concurrent requests queue behind each other.
 */
async function startRoundTrips(http) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const innerAgent = new http.Agent({ keepAlive: true, maxSockets: 1 }); // the server's own calls
  let port;
  const get = (path, via = agent, toPort = port) => new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: toPort, path, agent: via }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/hang') return;
    const answer = () => { res.statusCode = req.url === '/fail' ? 500 : 200; res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); };
    if (req.url === '/nested') get('/plain', innerAgent).then(answer, answer);
    else if (req.url === '/chained') chainedCalls(http, port, innerAgent, answer);
    else answer();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
  const stop = () => { server.closeAllConnections(); server.close(); agent.destroy(); innerAgent.destroy(); };
  return { get, port, stop };
}

async function measure(mode) {
  const stopTelemetry = startTelemetry(SPECS[mode]);
  const http = require('node:http');
  const { get, stop } = await startRoundTrips(http);
  const requests = Number(arg('requests', '2000'));
  const runOnce = async (count) => { for (let i = 0; i < count; i++) await get(`/orders/${i}?x=1`); };
  await runOnce(Math.min(requests, 1000));
  const perRoundTrip = [];
  for (let run = 0; run < Number(arg('runs', '3')); run++) {
    const before = cpuNow();
    await runOnce(requests);
    perRoundTrip.push((cpuNow() - before) / requests);
  }
  stop();
  await stopTelemetry();
  return { median: median(perRoundTrip), min: Math.min(...perRoundTrip) };
}

function runChild(mode) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'dc-http-ab.js'), ['--child', mode, '--requests', arg('requests', '2000'), '--runs', arg('runs', '3')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => { result = m; });
    child.on('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`${mode}: exit ${code}`))));
  });
}

function summary(modes, results, key) {
  const medians = Object.fromEntries(modes.map((m) => [m, median(results[m].map((r) => r[key]))]));
  return modes.map((m) => {
    const above = medians.none === undefined || m === 'none' ? '' : ` (${(medians[m] - medians.none).toFixed(1)} above none)`;
    return `${m} ${medians[m].toFixed(1)}${above}`;
  }).join(', ');
}

async function parent() {
  const modes = arg('modes', 'instr,dc,none').split(',');
  const alternations = Number(arg('alternations', '8'));
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  const loadBefore = os.loadavg();
  for (let a = 0; a < alternations; a++) {
    const order = [...modes.slice(a % modes.length), ...modes.slice(0, a % modes.length)];
    for (const mode of order) results[mode].push(await runChild(mode));
    console.log(`alternation ${a + 1}/${alternations}: ${modes.map((m) => `${m} ${results[m].at(-1).median.toFixed(1)}`).join(', ')} µs/round trip (load ${os.loadavg()[0].toFixed(2)})`);
  }
  console.log(`CPU µs per round trip (a CLIENT and a SERVER span), median over ${alternations} processes of each process's median run: ${summary(modes, results, 'median')}`);
  console.log(`the same of each process's fastest run: ${summary(modes, results, 'min')}`);
  if (results.instr) {
    const paired = modes.filter((m) => m !== 'instr').map((m) => `${m} ${median(results.instr.map((r, i) => r.median - results[m][i].median)).toFixed(1)}`);
    console.log(`instr minus each, median of the per-alternation differences (µs per round trip): ${paired.join(', ')}`);
  }
  console.log(`load average before ${loadBefore.map((v) => v.toFixed(2)).join(' ')}, after ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; node ${process.version}, ${os.cpus().length} cpus`);
}

module.exports = { SPECS, startRoundTrips };

if (require.main === module) {
  const child = arg('child', undefined);
  const main = child ? () => measure(child).then((v) => (process.send ? process.send(v) : console.log(JSON.stringify({ mode: child, ...v })))) : process.argv.includes('--check') ? () => require('./dc-http-check').check(arg('mode', undefined), arg('modes', 'dc').split(',')) : parent;
  main().catch((e) => { console.error(e); process.exitCode = 1; });
}
