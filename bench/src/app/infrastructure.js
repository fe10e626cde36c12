'use strict';
/**
 * What the benchmarked app talks to, all on 127.0.0.1 and all started and stopped by the parent:
 * the emulator (in memory, Entra-only resource), a TLS front that forwards to its http port (the
 * official distro sends bearer tokens over https only, for ingestion and Live Metrics; ours goes
 * through the same front so both pay TLS), and the backends child (PGlite + downstream).
 *
 * The official exporter gzips only for Azure ingestion hosts, so the official variants' ingestion
 * endpoint is the bench's Azure-looking alias (GZIP_HOST_ALIAS, in the front's certificate), which
 * their host-alias preload answers as 127.0.0.1: both distros gzip here, as they do in production.
 * The front counts the ingestion requests it forwards and how many were gzip-encoded.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const fs = require('node:fs');
const { startEmulator, DEFAULT_IDS, TABLE_NAMES } = require('@appinsights-otel/emulator');
const { NETWORK_GUARD, GZIP_HOST_ALIAS } = require('../paths');
const { baseChildEnv } = require('../child-env');
const { createSinkCertificate } = require('../tls-cert');
const { ingestionCounter } = require('./ingestion-counter');

async function startTlsFront(targetPort, cert) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const ingestion = ingestionCounter();
  const server = https.createServer({ key: fs.readFileSync(cert.keyFile), cert: fs.readFileSync(cert.certFile) }, (req, res) => {
    ingestion.count(req);
    const forward = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    origin: `https://127.0.0.1:${server.address().port}`,
    takeIngestionCounts: ingestion.take,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); agent.destroy(); }),
  };
}

function startBackends() {
  const child = spawn(process.execPath, ['--require', NETWORK_GUARD, path.join(__dirname, 'backend-child.mjs')], {
    env: { ...baseChildEnv(), AI_NETWORK_GUARD: 'fatal' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.on('exit', (code) => reject(new Error(`backend child exited with ${code} before it was ready`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (!text.includes('\n')) return;
      child.removeAllListeners('exit');
      const ports = JSON.parse(text.split('\n')[0]);
      resolve({ ...ports, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) });
    });
  });
}

/** Uncompressed size of every stored item (JSON of its non-empty columns), summed over all tables. */
function storedItems(emu) {
  let items = 0;
  let bytes = 0;
  for (const table of TABLE_NAMES) {
    for (const row of emu.items(table)) {
      const kept = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined && v !== ''));
      bytes += Buffer.byteLength(JSON.stringify(kept));
      items++;
    }
  }
  return { items, bytes };
}

/** Waits until the emulator's stored item count holds still for `quietMillis` (at most `maxMillis`). */
async function settleItems(emu, quietMillis = 600, maxMillis = 8000) {
  const count = () => TABLE_NAMES.reduce((n, t) => n + emu.countItems(t), 0);
  const deadline = Date.now() + maxMillis;
  let last = count();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMillis));
    const now = count();
    if (now === last) return;
    last = now;
  }
}

async function startInfrastructure() {
  const emu = await startEmulator({ inMemory: true });
  const cert = await createSinkCertificate(GZIP_HOST_ALIAS);
  const front = await startTlsFront(emu.port, cert);
  const backends = await startBackends();
  const resource = emu.resource();
  return {
    emu,
    backends,
    caFile: cert.certFile,
    /** Ours: 127.0.0.1 (it gzips for any host); the official: the alias for ingestion (it gzips for Azure hosts only). */
    connectionStringFor(distro) {
      const ingestion = distro === 'official' ? `https://${GZIP_HOST_ALIAS}:${front.port}` : front.origin;
      return `InstrumentationKey=${resource.instrumentationKey};IngestionEndpoint=${ingestion}/;LiveEndpoint=${front.origin}/`;
    },
    takeIngestionCounts: front.takeIngestionCounts,
    token: () => emu.issueToken({ identity: DEFAULT_IDS.servicePrincipalName, lifetimeSeconds: 3 * 3600 }),
    async stop() {
      await backends.stop();
      await front.close();
      await emu.close();
      cert.remove();
    },
  };
}

module.exports = { startInfrastructure, storedItems, settleItems };
