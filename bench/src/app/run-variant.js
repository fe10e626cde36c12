'use strict';
/**
 * One run of one variant in a fresh app process: start it, warm up under load, measure under load
 * (autocannon in its own process), shut it down (telemetry flushed), then read what the emulator
 * stored for it. Every child gets the network guard preloaded; a NETWORK GUARD line invalidates the run.
 * The official distro's app process also gets the host-alias preload (after the guard), which
 * answers its Azure-looking ingestion host as 127.0.0.1 so that it gzips as in production.
 */
const { fork } = require('node:child_process');
const path = require('node:path');
const { NETWORK_GUARD, HOST_ALIAS_PRELOAD, GZIP_HOST_ALIAS } = require('../paths');
const { baseChildEnv } = require('../child-env');
const { REQUIRED_ENV } = require('../exporters/official');
const { storedItems, settleItems } = require('./infrastructure');
const { pinProcess } = require('./cpu-pinning');

function once(child, predicate) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => { if (predicate(m)) { cleanup(); resolve(m); } };
    const onExit = (code) => { cleanup(); reject(new Error(`child exited with ${code}`)); };
    const cleanup = () => { child.off('message', onMessage); child.off('exit', onExit); };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function runLoad(url, seconds, connections) {
  const child = fork(path.join(__dirname, 'load-child.js'), [], {
    env: { ...baseChildEnv(), AI_NETWORK_GUARD: 'fatal', BENCH_LOAD_URL: url, BENCH_LOAD_SECONDS: String(seconds), BENCH_LOAD_CONNECTIONS: String(connections) },
    execArgv: ['--require', NETWORK_GUARD], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return once(child, () => true).then((m) => {
    if (m.error) throw new Error(`load generator: ${m.error}`);
    return m;
  });
}

/**
 * The app process's preloads: the network guard always, first; for the official distro also the
 * host-alias preload after it (it exits without the guard), with the alias it answers as 127.0.0.1.
 * @param {string} distro
 * @returns {{ execArgv: string[], env: Record<string, string> }}
 */
function preloadsFor(distro) {
  if (distro !== 'official') return { execArgv: ['--require', NETWORK_GUARD], env: {} };
  return { execArgv: ['--require', NETWORK_GUARD, '--require', HOST_ALIAS_PRELOAD], env: { BENCH_HOST_ALIAS: GZIP_HOST_ALIAS } };
}

function startApp(variant, infra, settings) {
  const env = {
    ...baseChildEnv(), ...REQUIRED_ENV, ...(variant.env ?? {}),
    NODE_EXTRA_CA_CERTS: infra.caFile,
    BENCH_APP_SPEC: JSON.stringify(variant.spec),
    BENCH_APP_CONNECTION_STRING: infra.connectionStringFor(variant.spec.distro),
    BENCH_APP_TOKEN: settings.token,
    BENCH_APP_PG_PORT: String(infra.backends.pgPort),
    BENCH_APP_PG_CONNECTIONS: String(infra.backends.pgConnections),
    BENCH_APP_DOWNSTREAM_PORT: String(infra.backends.downstreamPort),
  };
  if (settings.profileDir) env.BENCH_APP_PROFILE_FILE = path.join(settings.profileDir, `${variant.key}-${Date.now()}.cpuprofile`);
  const preloads = preloadsFor(variant.spec.distro);
  Object.assign(env, preloads.env);
  const child = fork(path.join(__dirname, 'app-child.js'), [], { env, execArgv: preloads.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  if (settings.pinning) pinProcess(child.pid, settings.pinning.app);
  child.profileFile = env.BENCH_APP_PROFILE_FILE;
  child.stderrText = '';
  child.stderr.on('data', (d) => { child.stderrText += d; });
  return child;
}

/**
 * @param {{ name: string, key: string, spec: object, env?: object }} variant
 * @param {object} infra - from startInfrastructure()
 * @param {{ warmupSeconds: number, seconds: number, connections: number, token: string, profileDir?: string, pinning?: { app: string, rest: string } }} settings
 */
async function runVariant(variant, infra, settings) {
  infra.emu.clearItems();
  infra.takeIngestionCounts(); // what earlier runs sent is theirs
  const child = startApp(variant, infra, settings);
  const killTimer = setTimeout(() => child.kill('SIGKILL'), (settings.warmupSeconds + settings.seconds + 90) * 1000);
  try {
    const { port } = await once(child, (m) => m.ready);
    const url = `http://127.0.0.1:${port}/orders/17`;
    await runLoad(url, settings.warmupSeconds, settings.connections);
    child.send('start');
    const load = await runLoad(url, settings.seconds, settings.connections);
    child.send('stop');
    const app = await once(child, (m) => m.measured);
    child.send('shutdown');
    const { served } = await once(child, (m) => m.shutDown);
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
    await settleItems(infra.emu);
    const stored = storedItems(infra.emu);
    const ingestion = infra.takeIngestionCounts();
    const lines = child.stderrText.split('\n').filter((l) => l.trim() !== '');
    const problems = lines.filter((l) => l.includes('NETWORK GUARD'));
    if (load.non2xx > 0 || load.errors > 0) problems.push(`${load.non2xx} non-2xx answers, ${load.errors} errors/timeouts`);
    const warnings = [...new Set(lines.filter((l) => !l.includes('NETWORK GUARD')))].slice(0, 3);
    return { variant: variant.key, ...load, app, served, stored, ingestion, problems, warnings, ...(child.profileFile ? { profileFile: child.profileFile } : {}) };
  } finally {
    clearTimeout(killTimer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

module.exports = { runVariant, preloadsFor };
