import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from 'selfsigned';

/** A certificate and key for the token issuer. */
export interface SelfSignedCert {
  /** PEM certificate (also its own CA: trust it with NODE_EXTRA_CA_CERTS). */
  readonly certPem: string;
  /** PEM private key. */
  readonly keyPem: string;
  /** Where the certificate was written. */
  readonly certPath: string;
}

const VALIDITY_MILLIS = 365 * 24 * 3600 * 1000;

/**
 * Generates a self-signed certificate for `localhost`, 127.0.0.1 and ::1 and writes it to
 * `<dir>/emulator-ca.pem` so users can point NODE_EXTRA_CA_CERTS at it.
 */
export async function createSelfSignedCert(dir: string): Promise<SelfSignedCert> {
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
  fs.mkdirSync(dir, { recursive: true });
  const certPath = path.join(dir, 'emulator-ca.pem');
  fs.writeFileSync(certPath, pems.cert);
  return { certPem: pems.cert, keyPem: pems.private, certPath };
}
