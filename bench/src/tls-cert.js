'use strict';
/**
 * A throwaway self-signed certificate for the sink's HTTPS port (the official exporter forces
 * https). Generated with the `selfsigned` package (root node_modules), never leaves the temp dir,
 * and is trusted only by the bench's exporter processes through NODE_EXTRA_CA_CERTS.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function createSinkCertificate(hostAlias) {
  const selfsigned = require('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'appinsights-otel bench sink' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: hostAlias },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-otel-bench-'));
  const certFile = path.join(dir, 'sink-cert.pem');
  const keyFile = path.join(dir, 'sink-key.pem');
  fs.writeFileSync(certFile, pems.cert);
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  return { dir, certFile, keyFile, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

module.exports = { createSinkCertificate };
