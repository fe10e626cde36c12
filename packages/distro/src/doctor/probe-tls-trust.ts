import * as net from 'node:net';
import * as tls from 'node:tls';
import { findUntrustedCertificateCode } from '@appinsights-otel/core';

/**
 * Opens (and closes) one TLS connection to an https URL's host with this process's trust store
 * (Node's CAs plus NODE_EXTRA_CA_CERTS) and reports whether the certificate is untrusted.
 *
 * `@azure/identity` reports an untrusted authority certificate only as MSAL's
 * `endpoints_resolution_error`; this finds the real cause. Sends nothing over the connection.
 *
 * @returns The untrusted-certificate code (`SELF_SIGNED_CERT_IN_CHAIN`, ...), or `undefined` when
 *   the certificate is trusted, the URL is not https, or the host cannot be reached (other causes).
 */
export function probeTlsTrust(url: string, timeoutMillis: number): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(undefined);
  }
  if (target.protocol !== 'https:') return Promise.resolve(undefined);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = tls.connect({
      host, port: Number(target.port || 443), ...(net.isIP(host) === 0 ? { servername: host } : {}),
    });
    const done = (code: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => done(undefined), timeoutMillis);
    timer.unref();
    socket.once('secureConnect', () => done(undefined));
    socket.once('error', (error) => done(findUntrustedCertificateCode(error)));
  });
}
