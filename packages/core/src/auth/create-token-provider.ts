import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { context, diag } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { CredentialAuthenticationError, CredentialUnavailableError } from '../errors';
import { classifyCredentialError } from './classify-credential-error';
import { describeCredential } from './describe-credential';
import type { TokenProvider, TokenRequestOptions } from './token-provider-types';
import { computeBackoffMillis, type BackoffPolicy } from '../retry/backoff';

/** Tuning for {@link createTokenProvider}; every field is optional. */
export interface TokenProviderOptions {
  /** Longest wait for one credential call before it is abandoned with a typed error (default 10 s). */
  readonly acquireTimeoutMillis?: number;
  /**
   * Without `refreshAfterTimestamp` on the token, start a background refresh this long before
   * expiry (default 5 min; never earlier than half-way through the token's lifetime).
   */
  readonly refreshWindowMillis?: number;
  /** A token this close to expiry is not served; callers wait for a new one (default 30 s). */
  readonly forcedRefreshWindowMillis?: number;
  /** Pause after the first failed acquisition; doubles with each further failure (default 1 s). */
  readonly initialBackoffMillis?: number;
  /** Longest pause between acquisitions after failures (default 60 s). */
  readonly maxBackoffMillis?: number;
}

/** Defaults of {@link TokenProviderOptions}. */
const TOKEN_PROVIDER_DEFAULTS: Readonly<Required<TokenProviderOptions>> = Object.freeze({
  acquireTimeoutMillis: 10_000,
  refreshWindowMillis: 5 * 60_000,
  forcedRefreshWindowMillis: 30_000,
  initialBackoffMillis: 1_000,
  maxBackoffMillis: 60_000,
});

type CredentialError = CredentialUnavailableError | CredentialAuthenticationError;

interface CachedToken {
  readonly token: string;
  readonly expiresOnTimestamp: number;
  readonly refreshAtTimestamp: number;
}

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/core/auth' });

/**
 * A caching bearer-token source for one (credential, scope) pair (DESIGN.md section 4):
 * - one acquisition in flight at a time, shared by every concurrent caller;
 * - from `refreshAfterTimestamp` (or 5 min before expiry) a background refresh starts while the
 *   current token keeps being served without waiting;
 * - a token within 30 s of expiry is not served: callers wait for a fresh one;
 * - each credential call is cut off after `acquireTimeoutMillis` (its `abortSignal` is aborted too),
 *   so a hanging credential never stalls flush or shutdown;
 * - after a failure, the credential is not called again for 1 s, doubling up to 60 s; meanwhile
 *   `getToken()` rethrows the last error at once (or serves a cached token that has not expired);
 * - `invalidate()` (after a 401) drops the token so the next call acquires a new one;
 * - `claims` (from a `WWW-Authenticate` challenge) bypass the cache and the backoff and are passed
 *   to `credential.getToken(scope, { claims })`.
 *
 * The credential is called under OpenTelemetry's `suppressTracing`, so its own work is never traced.
 *
 * Errors are always `CredentialUnavailableError` or `CredentialAuthenticationError` with a message
 * that says what to check; no message ever contains a token. Every timer is `unref()`d.
 *
 * Prefer `getSharedTokenProvider()` so that exporters sharing a credential share the cache.
 *
 * @param credential - Any `TokenCredential` (e.g. from `@azure/identity`).
 * @param scope - The scope to request, e.g. `https://monitor.azure.com/.default`.
 * @param options - Timeouts, refresh windows and backoff.
 */
export function createTokenProvider(
  credential: TokenCredential,
  scope: string,
  options: TokenProviderOptions = {},
): TokenProvider {
  const o: Required<TokenProviderOptions> = { ...TOKEN_PROVIDER_DEFAULTS, ...definedOnly(options) };
  const credentialKind = describeCredential(credential);
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;
  const claimsInFlight = new Map<string, Promise<CachedToken>>();
  let generation = 0;
  let lastFailure: { readonly error: CredentialError; readonly retryAtTimestamp: number } | undefined;
  let failureStreak = 0;
  // Not jittered: one provider per (credential, scope), so there is no herd to spread.
  const backoff: BackoffPolicy = { initialMillis: o.initialBackoffMillis, maxMillis: o.maxBackoffMillis, multiplier: 2, jitter: 0 };

  function acquire(claims?: string): Promise<CachedToken> {
    const startedGeneration = generation;
    return callCredential(claims).then(
      (token) => {
        lastFailure = undefined;
        failureStreak = 0;
        if (startedGeneration === generation) cached = token;
        return token;
      },
      (error: CredentialError) => {
        lastFailure = { error, retryAtTimestamp: Date.now() + computeBackoffMillis(++failureStreak, backoff) };
        throw error;
      },
    );
  }

  async function callCredential(claims?: string): Promise<CachedToken> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new CredentialUnavailableError(
          `the credential did not return a token for scope ${scope} within ${o.acquireTimeoutMillis} ms; `
            + `${timeoutHint(credentialKind)}`,
        );
        controller.abort(error);
        reject(error);
      }, o.acquireTimeoutMillis);
      timer.unref?.();
    });
    const request: GetTokenOptions = { abortSignal: controller.signal, ...(claims !== undefined && { claims }) };
    try {
      const token = await Promise.race([untracedGetToken(credential, scope, request), timeout]);
      return toCachedToken(token);
    } catch (error) {
      throw classifyCredentialError(error, { scope, credentialKind });
    } finally {
      clearTimeout(timer);
    }
  }

  function toCachedToken(token: AccessToken | null): CachedToken {
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
      : Math.max(expiresOnTimestamp - o.refreshWindowMillis, now + (expiresOnTimestamp - now) / 2);
    return { token: token.token, expiresOnTimestamp, refreshAtTimestamp };
  }

  function sharedAcquisition(): Promise<CachedToken> {
    if (inFlight !== undefined) return inFlight;
    const pending: Promise<CachedToken> = acquire().finally(() => {
      if (inFlight === pending) inFlight = undefined; // invalidate() may have replaced it meanwhile
    });
    inFlight = pending;
    return pending;
  }

  function claimsAcquisition(claims: string): Promise<CachedToken> {
    let pending = claimsInFlight.get(claims);
    if (pending === undefined) {
      pending = acquire(claims).finally(() => claimsInFlight.delete(claims));
      claimsInFlight.set(claims, pending);
    }
    return pending;
  }

  function inBackoff(now: number): boolean {
    return lastFailure !== undefined && now < lastFailure.retryAtTimestamp;
  }

  function refreshInBackground(): void {
    sharedAcquisition().catch((error: unknown) => {
      log.warn(`background token refresh failed; the current token is still used until it expires: ${(error as Error).message}`);
    });
  }

  return Object.freeze({
    scope,
    async getToken(request: TokenRequestOptions = {}): Promise<string> {
      if (request.claims !== undefined && request.claims !== '') {
        return (await abortable(claimsAcquisition(request.claims), request.abortSignal)).token;
      }
      const now = Date.now();
      const current = cached;
      if (current !== undefined && now < current.expiresOnTimestamp - o.forcedRefreshWindowMillis) {
        if (now >= current.refreshAtTimestamp && inFlight === undefined && !inBackoff(now)) refreshInBackground();
        return current.token;
      }
      if (inFlight === undefined && lastFailure !== undefined && inBackoff(now)) {
        if (current !== undefined && now < current.expiresOnTimestamp) return current.token;
        throw lastFailure.error;
      }
      try {
        return (await abortable(sharedAcquisition(), request.abortSignal)).token;
      } catch (error) {
        const stillValid = cached;
        if (stillValid !== undefined && Date.now() < stillValid.expiresOnTimestamp && !isAbort(error)) return stillValid.token;
        throw error;
      }
    },
    invalidate(): void {
      cached = undefined;
      inFlight = undefined;
      generation++;
    },
  });
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

class AbortedError extends CredentialUnavailableError {}

function isAbort(error: unknown): boolean {
  return error instanceof AbortedError;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = (): AbortedError => new AbortedError('the token request was aborted by the caller', { cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

function definedOnly(options: TokenProviderOptions): Partial<Required<TokenProviderOptions>> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<Required<TokenProviderOptions>>;
}
