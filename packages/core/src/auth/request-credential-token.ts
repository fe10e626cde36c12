import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { CredentialAuthenticationError, CredentialUnavailableError } from '../errors';
import { classifyCredentialError } from './classify-credential-error';
import type { describeCredential } from './describe-credential';

/** A token as the provider caches it: the string, its expiry and when to refresh it (epoch ms). */
export interface CachedToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
  readonly refreshAtTimestamp: number;
}

/** One credential call: which credential, for what scope, with what limits. */
export interface CredentialCall {
  readonly credential: TokenCredential;
  readonly scope: string;
  readonly credentialKind: ReturnType<typeof describeCredential>;
  readonly timeoutMillis: number;
  /** Without `refreshAfterTimestamp` on the token, refresh this long before expiry (never before half its life). */
  readonly refreshWindowMillis: number;
}

/**
 * `credential.getToken()` under OpenTelemetry's `suppressTracing`: `@azure/identity`'s own spans
 * (e.g. `ManagedIdentityCredential.getToken`, bridged by an Azure SDK instrumentation) and its HTTP
 * calls never become telemetry. Always asynchronous, even for a credential that throws at once.
 */
function untracedGetToken(credential: TokenCredential, scope: string, request: GetTokenOptions): Promise<AccessToken | null> {
  return context.with(suppressTracing(context.active()), () => Promise.resolve().then(() => credential.getToken(scope, request)));
}

function timeoutHint(kind: ReturnType<typeof describeCredential>): string {
  return kind === 'managed-identity'
    ? 'check that the managed identity endpoint (IDENTITY_ENDPOINT on App Service and Functions, IMDS on VMs) is reachable from this host'
    : 'check network access to Microsoft Entra ID (login.microsoftonline.com or your cloud\'s authority host) and any proxy settings';
}

/** Checks what a credential returned and times its refresh. @throws CredentialAuthenticationError for no, a malformed or an expired token */
function toCachedToken(token: AccessToken | null, call: CredentialCall): CachedToken {
  const { scope } = call;
  if (token === null || token === undefined) {
    throw new CredentialAuthenticationError(
      `the credential returned no token for scope ${scope}; check that it is configured for this tenant and cloud`,
    );
  }
  const { expiresOnTimestamp, refreshAfterTimestamp } = token;
  if (typeof token.token !== 'string' || token.token === '' || typeof expiresOnTimestamp !== 'number' || !Number.isFinite(expiresOnTimestamp)) {
    throw new CredentialAuthenticationError(`the credential returned a malformed access token for scope ${scope} (no token string or expiry)`);
  }
  const now = Date.now();
  if (expiresOnTimestamp <= now) {
    throw new CredentialAuthenticationError(`the credential returned an access token for scope ${scope} that has already expired; check the system clock`);
  }
  const refreshAtTimestamp = typeof refreshAfterTimestamp === 'number' && Number.isFinite(refreshAfterTimestamp)
    ? refreshAfterTimestamp
    : Math.max(expiresOnTimestamp - call.refreshWindowMillis, now + (expiresOnTimestamp - now) / 2);
  return { token: token.token, expiresOnTimestamp, refreshAtTimestamp };
}

/**
 * Calls the credential once (untraced), cut off after `timeoutMillis` (its `abortSignal` is aborted
 * too), and checks the token. Every failure is a classified `CredentialUnavailableError` or
 * `CredentialAuthenticationError` that never contains a token.
 */
export async function requestCredentialToken(call: CredentialCall, claims?: string): Promise<CachedToken> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new CredentialUnavailableError(
        `the credential did not return a token for scope ${call.scope} within ${call.timeoutMillis} ms; `
          + `${timeoutHint(call.credentialKind)}`,
      );
      controller.abort(error);
      reject(error);
    }, call.timeoutMillis);
    timer.unref?.();
  });
  const request: GetTokenOptions = { abortSignal: controller.signal, ...(claims !== undefined && { claims }) };
  try {
    const token = await Promise.race([untracedGetToken(call.credential, call.scope, request), timeout]);
    return toCachedToken(token, call);
  } catch (error) {
    throw classifyCredentialError(error, { scope: call.scope, credentialKind: call.credentialKind });
  } finally {
    clearTimeout(timer);
  }
}
