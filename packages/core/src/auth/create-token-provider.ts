import type { TokenCredential } from '@azure/core-auth';
import { diag } from '@opentelemetry/api';
import { CredentialAuthenticationError, CredentialUnavailableError } from '../errors';
import { describeCredential } from './describe-credential';
import { requestCredentialToken, type CachedToken, type CredentialCall } from './request-credential-token';
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

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/core/auth' });

/** The acquisitions in flight: one shared by every plain caller, one per `claims` value. */
interface Acquisitions {
  shared(): Promise<CachedToken>;
  withClaims(claims: string): Promise<CachedToken>;
  /** Whether a shared acquisition is in flight. */
  readonly busy: boolean;
  /** Forgets the shared acquisition (invalidate): the next caller starts a new one. */
  forget(): void;
}

/** The last failed acquisition and the pause after it (doubling with each failure in a row). */
interface FailureBackoff {
  /** The last failure's error, while no acquisition has succeeded since. */
  readonly lastError: CredentialError | undefined;
  failed(error: CredentialError): void;
  succeeded(): void;
  /** Whether the credential must not be called yet. */
  inBackoff(now: number): boolean;
}

function createFailureBackoff(policy: BackoffPolicy): FailureBackoff {
  let last: { readonly error: CredentialError; readonly retryAtTimestamp: number } | undefined;
  let streak = 0;
  return {
    get lastError() { return last?.error; },
    failed(error) { last = { error, retryAtTimestamp: Date.now() + computeBackoffMillis(++streak, policy) }; },
    succeeded() { last = undefined; streak = 0; },
    inBackoff: (now) => last !== undefined && now < last.retryAtTimestamp,
  };
}

/** Starts a shared acquisition while the current token is still served; a failure is only logged. */
function refreshInBackground(acquisitions: Acquisitions): void {
  acquisitions.shared().catch((error: unknown) => {
    log.warn(`background token refresh failed; the current token is still used until it expires: ${(error as Error).message}`);
  });
}

/** Single flight over `acquire`: concurrent callers share one pending acquisition. */
function createAcquisitions(acquire: (claims?: string) => Promise<CachedToken>): Acquisitions {
  let inFlight: Promise<CachedToken> | undefined;
  const claimsInFlight = new Map<string, Promise<CachedToken>>();
  return {
    shared() {
      if (inFlight !== undefined) return inFlight;
      const pending: Promise<CachedToken> = acquire().finally(() => {
        if (inFlight === pending) inFlight = undefined; // invalidate() may have replaced it meanwhile
      });
      inFlight = pending;
      return pending;
    },
    withClaims(claims) {
      let pending = claimsInFlight.get(claims);
      if (pending === undefined) {
        pending = acquire(claims).finally(() => claimsInFlight.delete(claims));
        claimsInFlight.set(claims, pending);
      }
      return pending;
    },
    get busy() { return inFlight !== undefined; },
    forget() { inFlight = undefined; },
  };
}

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
  const call: CredentialCall = { credential, scope, credentialKind: describeCredential(credential), timeoutMillis: o.acquireTimeoutMillis, refreshWindowMillis: o.refreshWindowMillis };
  let cached: CachedToken | undefined;
  let generation = 0;
  // Not jittered: one provider per (credential, scope), so there is no herd to spread.
  const failures = createFailureBackoff({ initialMillis: o.initialBackoffMillis, maxMillis: o.maxBackoffMillis, multiplier: 2, jitter: 0 });

  const acquisitions = createAcquisitions((claims) => {
    const startedGeneration = generation;
    return requestCredentialToken(call, claims).then(
      (token) => {
        failures.succeeded();
        if (startedGeneration === generation) cached = token;
        return token;
      },
      (error: CredentialError) => {
        failures.failed(error);
        throw error;
      },
    );
  });

  return Object.freeze({
    scope,
    async getToken(request: TokenRequestOptions = {}): Promise<string> {
      if (request.claims !== undefined && request.claims !== '') {
        return (await abortable(acquisitions.withClaims(request.claims), request.abortSignal)).token;
      }
      const now = Date.now();
      const current = cached;
      if (current !== undefined && now < current.expiresOnTimestamp - o.forcedRefreshWindowMillis) {
        if (now >= current.refreshAtTimestamp && !acquisitions.busy && !failures.inBackoff(now)) refreshInBackground(acquisitions);
        return current.token;
      }
      const lastError = failures.lastError;
      if (!acquisitions.busy && lastError !== undefined && failures.inBackoff(now)) {
        if (current !== undefined && now < current.expiresOnTimestamp) return current.token;
        throw lastError;
      }
      try {
        return (await abortable(acquisitions.shared(), request.abortSignal)).token;
      } catch (error) {
        const stillValid = cached;
        if (stillValid !== undefined && Date.now() < stillValid.expiresOnTimestamp && !isAbort(error)) return stillValid.token;
        throw error;
      }
    },
    invalidate(): void {
      cached = undefined;
      acquisitions.forget();
      generation++;
    },
  });
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
