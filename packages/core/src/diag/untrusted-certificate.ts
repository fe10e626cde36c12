/**
 * TLS failures that mean "this process does not trust the server's certificate" (OpenSSL's
 * verification codes, as Node sets them on `error.code`): a self-signed certificate such as the
 * local emulator's, or one from a private CA or a TLS-inspecting proxy.
 */
const UNTRUSTED_CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/**
 * MSAL's error code when it could not fetch the authority's OpenID metadata; `@azure/identity`
 * reports a TLS failure there only as this code, without the underlying error.
 */
export const ENDPOINTS_RESOLUTION_ERROR = 'endpoints_resolution_error';

const MAX_DEPTH = 8;

/**
 * The untrusted-certificate code of an error, looking through `cause` chains and aggregated
 * `errors` (undici, fetch and `@azure/identity` wrap the socket error), or `undefined`.
 */
export function findUntrustedCertificateCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNTRUSTED_CERTIFICATE_CODES.has(code)) return code;
  const fromCause = findUntrustedCertificateCode(cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findUntrustedCertificateCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The fix for an untrusted certificate: NODE_EXTRA_CA_CERTS, and how it is read. */
export function untrustedCertificateFix(extraCaCerts: string | undefined = process.env['NODE_EXTRA_CA_CERTS']): string {
  const current = extraCaCerts !== undefined && extraCaCerts !== ''
    ? `NODE_EXTRA_CA_CERTS is set to ${extraCaCerts}, which does not hold the CA of this certificate (or could not be read); `
    : 'NODE_EXTRA_CA_CERTS is not set; ';
  return (
    `${current}set NODE_EXTRA_CA_CERTS to the CA certificate file (PEM) before starting node (it is read only at start): ` +
    'for the local emulator, the path it prints (caCertPath); for a proxy or private CA, your organisation\'s CA file'
  );
}

/** What happened, without the fix: the server's certificate is not trusted (and the code). */
export function untrustedCertificateCause(origin: string | undefined, code: string): string {
  return `the TLS certificate of ${origin ?? 'the server'} is not trusted by this process (${code})`;
}

/**
 * One line for a TLS connection this process refused because it does not trust the certificate:
 * the cause, then the fix.
 *
 * @param origin - The server, e.g. `https://localhost:50123`, when known.
 * @param code - The OpenSSL code (`SELF_SIGNED_CERT_IN_CHAIN`, ...).
 */
export function untrustedCertificateMessage(origin: string | undefined, code: string, extraCaCerts?: string): string {
  return `${untrustedCertificateCause(origin, code)}: ${untrustedCertificateFix(extraCaCerts)}`;
}
