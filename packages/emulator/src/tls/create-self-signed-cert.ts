import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from 'selfsigned';

/** A certificate and key for the token issuer. */
export interface SelfSignedCert {
  /** PEM certificate (also its own CA: trust it with NODE_EXTRA_CA_CERTS). */
  readonly certPem: string;
  /** PEM private key. */
  readonly keyPem: string;
}

const VALIDITY_MILLIS = 365 * 24 * 3600 * 1000;

/** Generates a self-signed certificate (its own CA) for `localhost`, 127.0.0.1 and ::1. */
export async function createSelfSignedCert(): Promise<SelfSignedCert> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'appinsights-emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + VALIDITY_MILLIS),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

/**
 * Name of an instance's certificate file: `emulator-ca-<host>-<tokenPort>.pem`. Two emulators that
 * run at the same time cannot share host and token port, so they never share this file, even in
 * one data dir; a restart on the same port reuses the path a shell may already export.
 */
export function caCertFileName(host: string, tokenPort: number): string {
  return `emulator-ca-${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${tokenPort}.pem`;
}

/** Writes a PEM to `<dir>/<fileName>` atomically (a reader never sees half a file); returns the path. */
export function writeCaCert(dir: string, fileName: string, pem: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, fileName);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, pem);
  fs.renameSync(temp, target);
  return target;
}
