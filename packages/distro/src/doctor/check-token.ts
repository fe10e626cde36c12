import type { TokenCredential } from '@azure/core-auth';
import { classifyCredentialError, decodeTokenClaims, describeCredential, type TokenClaims } from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/** The token step's result plus what later steps need (the token never leaves the doctor). */
export interface TokenCheck {
  readonly result: StepResult;
  readonly token?: string;
  readonly claims?: TokenClaims;
}

/**
 * Requests a token for `scope` and reports its claims (aud, tid, oid, appid, expiry), decoded
 * without verification. The token itself is never printed.
 */
export async function checkToken(credential: TokenCredential, scope: string, timeoutMillis: number): Promise<TokenCheck> {
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
