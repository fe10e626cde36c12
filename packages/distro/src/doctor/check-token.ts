import type { TokenCredential } from '@azure/core-auth';
import {
  classifyCredentialError, decodeTokenClaims, describeCredential, findUntrustedCertificateCode, untrustedCertificateCause,
  untrustedCertificateFix, type TokenClaims,
} from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';
import { probeTlsTrust } from './probe-tls-trust';

/** Upper bound for the TLS probe after a failed token request. */
const TLS_PROBE_TIMEOUT_MILLIS = 5_000;

/** The token step's result plus what later steps need (the token never leaves the doctor). */
export interface TokenCheck {
  readonly result: StepResult;
  readonly token?: string;
  readonly claims?: TokenClaims;
}

/**
 * Requests a token for `scope` and reports its claims (aud, tid, oid, appid, expiry), decoded
 * without verification. The token itself is never printed.
 *
 * When the request fails and the certificate of the server the credential talks to is not trusted
 * (the emulator's self-signed issuer without NODE_EXTRA_CA_CERTS, a TLS-inspecting proxy), the
 * result says so and names NODE_EXTRA_CA_CERTS: from the error's cause chain, or, because
 * `@azure/identity` drops that cause, by a TLS probe of `tokenEndpoint`.
 *
 * @param tokenEndpoint - Where the credential gets tokens (authority host or identity endpoint), for the probe.
 */
export async function checkToken(credential: TokenCredential, scope: string, timeoutMillis: number, tokenEndpoint?: string): Promise<TokenCheck> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Raced, not only signalled: a credential that ignores its abort signal must not hang the doctor.
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error('timeout'));
    }, timeoutMillis);
    timer.unref();
  });
  try {
    const token = await Promise.race([Promise.resolve().then(() => credential.getToken(scope, { abortSignal: abort.signal })), timedOut]);
    if (token === null) {
      return { result: { step: 'token', status: 'fail', summary: `the credential returned no token for ${scope}`, fix: 'check the credential\'s configuration (tenant, client id, cloud)' } };
    }
    const claims = decodeTokenClaims(token.token);
    const minutes = Math.round((token.expiresOnTimestamp - Date.now()) / 60_000);
    const described = claims === undefined
      ? 'an opaque (non-JWT) token'
      : [`aud ${claims.aud ?? '?'}`, `tid ${claims.tid ?? '?'}`, `oid ${claims.oid ?? '?'}`, `appid ${claims.appid ?? '?'}`].join(', ');
    return {
      result: { step: 'token', status: 'ok', summary: `acquired for ${scope}: ${described}; expires in ${minutes} min` },
      token: token.token,
      ...(claims !== undefined ? { claims } : {}),
    };
  } catch (error: unknown) {
    const tlsCode = findUntrustedCertificateCode(error)
      ?? (tokenEndpoint !== undefined && !abort.signal.aborted ? await probeTlsTrust(tokenEndpoint, Math.min(timeoutMillis, TLS_PROBE_TIMEOUT_MILLIS)) : undefined);
    if (tlsCode !== undefined) {
      return {
        result: {
          step: 'token', status: 'fail',
          summary: `no token for ${scope}: ${untrustedCertificateCause(originOf(tokenEndpoint), tlsCode)}`,
          fix: untrustedCertificateFix(),
        },
      };
    }
    const typed = abort.signal.aborted
      ? new Error(`no token within ${timeoutMillis} ms (is the identity endpoint or Microsoft Entra ID reachable from here?)`)
      : classifyCredentialError(error, { scope, credentialKind: describeCredential(credential) });
    const [what, ...hints] = typed.message.split('; ');
    return {
      result: {
        step: 'token', status: 'fail', summary: what ?? typed.message,
        fix: hints.length > 0 ? hints.join('; ') : 'check the credential settings and that Microsoft Entra ID (or the managed identity endpoint) is reachable',
      },
    };
  } finally {
    clearTimeout(timer);
  }
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
