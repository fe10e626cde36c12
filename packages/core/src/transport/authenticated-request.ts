import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { classifyCredentialError } from '../auth/classify-credential-error';
import { decodeTokenClaims, type TokenClaims } from '../auth/decode-token-claims';
import type { TokenProvider } from '../auth/token-provider-types';
import { insecureBearerMessage, disallowedRedirectMessage, redirectLimitMessage } from '../diag/failure-messages';
import { ConfigError, TransportError, type CredentialAuthenticationError, type CredentialUnavailableError } from '../errors';
import { sharedDefaultDispatcher } from './create-dispatcher';
import { isSecureForBearer } from './is-secure-for-bearer';
import { parseClaimsChallenge } from './parse-claims-challenge';
import type { ResponseHeaders } from './parse-retry-after';
import { readCappedBody } from './read-capped-body';
import { MAX_REDIRECT_HOPS, type RedirectPolicy } from './redirect-policy';
import { request, type Dispatcher } from './undici';

/** Options of {@link authenticatedRequest}. */
export interface AuthenticatedRequestOptions {
  /** Where to send (redirects may change it). */
  readonly url: URL;
  /** Request headers (`authorization` is added); a function is called before each attempt. */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** The request body, POSTed as is. */
  readonly body: string | Uint8Array;
  /** Bearer token source; without it no `Authorization` header is sent. */
  readonly tokens?: TokenProvider;
  /** Aborts the token request, the send and the body read. */
  readonly signal: AbortSignal;
  /** The response body is read up to this many bytes (the rest is discarded, `truncated` says so). */
  readonly maxResponseBytes: number;
  /** How redirects are treated; without one every response is final. */
  readonly redirects?: RedirectPolicy;
  /** undici dispatcher (default: core's shared keep-alive, proxy-aware one; never undici's global one). */
  readonly dispatcher?: Dispatcher;
  /** Told of every response, redirects and the 401 before a retry included (for debug logs). */
  readonly onResponse?: (url: URL, statusCode: number) => void;
}

/** The final response of an authenticated request. */
export interface AuthenticatedResponse {
  readonly statusCode: number;
  readonly statusText: string;
  readonly headers: ResponseHeaders;
  /** The body as UTF-8, at most `maxResponseBytes`, with the bearer token replaced by `[redacted]`. */
  readonly bodyText: string;
  /** Whether the body was longer than `maxResponseBytes` (`bodyText` is its start). */
  readonly truncated: boolean;
  /** Set when the connection failed mid-body (reset, timeout, abort): `bodyText` holds what arrived. */
  readonly bodyError?: unknown;
}

/** Fields of every outcome. */
interface OutcomeBase {
  /** The URL of the last request made, or about to be made (after any redirects). */
  readonly url: URL;
  /** How many requests went out (0: none). */
  readonly requests: number;
  /** The last HTTP status received (a redirect's or a 401's before a retry, for outcomes without a final response). */
  readonly statusCode?: number;
}

/**
 * What an authenticated request came to. Never carries the token; resolved for every HTTP,
 * network and credential result (rejects only on a bug).
 */
export type AuthenticatedOutcome =
  | (OutcomeBase & {
    readonly kind: 'response';
    readonly response: AuthenticatedResponse;
    /** Whether the final request carried a bearer token. */
    readonly tokenSent: boolean;
    /** Who the token was issued to (unverified claims), for a 401 or 403 only. */
    readonly identity?: TokenClaims;
    /** The endpoint the response asks the caller to use from now on (the redirect policy's `movedTo`). */
    readonly movedTo?: string;
  })
  /** No response: connection refused, reset, TLS failure, or the signal aborted the send. */
  | (OutcomeBase & { readonly kind: 'network'; readonly error: unknown })
  /** No token (or the signal aborted the token request): the typed credential error. */
  | (OutcomeBase & { readonly kind: 'credential-failed'; readonly error: CredentialUnavailableError | CredentialAuthenticationError })
  /** A token would have gone over plain http to a non-loopback host: nothing was sent there. */
  | (OutcomeBase & { readonly kind: 'insecure'; readonly error: ConfigError })
  /** A redirect the policy does not allow (`ConfigError`), or more than {@link MAX_REDIRECT_HOPS} (`TransportError`). */
  | (OutcomeBase & {
    readonly kind: 'redirect-refused';
    readonly statusCode: number;
    readonly reason: 'not-allowed' | 'too-many-hops';
    readonly error: ConfigError | TransportError;
  });

interface RequestState {
  url: URL;
  requests: number;
  statusCode?: number;
  hops: number;
  claims: string | undefined;
  retriedUnauthorized: boolean;
}

type Exchange =
  | { readonly kind: 'response'; readonly response: AuthenticatedResponse }
  | { readonly kind: 'network'; readonly error: unknown };

/**
 * THE authenticated request (one home, after Azure core-rest-pipeline's bearer-token policy):
 * ingestion, Live Metrics, the query client and the doctor all send through it. One call:
 * - refuses to put a bearer token on plain http unless the host is loopback (`insecure`);
 * - gets a token from `tokens`, abortable by `signal`; a failure becomes `credential-failed` with
 *   a typed credential error;
 * - POSTs `body` and reads at most `maxResponseBytes` of the answer;
 * - after a 401 to a request with a token, invalidates it and retries once with a fresh one,
 *   passing the `claims` of a `WWW-Authenticate` challenge (CAE) to the credential;
 * - follows redirects only as `redirects` allows (none without a policy);
 * - redacts the token from the body and decodes its identity for a 401 or 403;
 * - runs under OpenTelemetry's `suppressTracing`, so neither the token request nor the send
 *   becomes telemetry.
 */
export function authenticatedRequest(options: AuthenticatedRequestOptions): Promise<AuthenticatedOutcome> {
  return context.with(suppressTracing(context.active()), () => runRequest(options));
}

async function runRequest(o: AuthenticatedRequestOptions): Promise<AuthenticatedOutcome> {
  const state: RequestState = { url: o.url, requests: 0, hops: 0, claims: undefined, retriedUnauthorized: false };
  for (;;) {
    if (o.tokens && !isSecureForBearer(state.url)) {
      return { kind: 'insecure', ...base(state), error: new ConfigError(insecureBearerMessage(state.url.origin)) };
    }
    let token: string | undefined;
    if (o.tokens) {
      try {
        token = await abortable(o.tokens.getToken({ ...(state.claims !== undefined ? { claims: state.claims } : {}), abortSignal: o.signal }), o.signal);
      } catch (error) {
        const typed = classifyCredentialError(error, { scope: o.tokens.scope, credentialKind: 'other' });
        return { kind: 'credential-failed', ...base(state), error: typed };
      }
    }
    state.requests++;
    const exchanged = await exchange(o, state.url, token);
    if (exchanged.kind === 'network') return { kind: 'network', ...base(state), error: exchanged.error };
    state.statusCode = exchanged.response.statusCode;
    o.onResponse?.(state.url, exchanged.response.statusCode);
    const next = afterResponse(o, state, exchanged.response, token);
    if (next !== 'again') return next;
  }
}

/** What to do with a response: send again (401 retry, redirect) or settle the outcome. */
function afterResponse(
  o: AuthenticatedRequestOptions, state: RequestState, response: AuthenticatedResponse, token: string | undefined,
): AuthenticatedOutcome | 'again' {
  const { statusCode, headers } = response;
  const candidate = { url: state.url, statusCode, headers };
  const target = o.redirects?.next(candidate);
  if (target !== undefined && o.redirects) {
    const refused = { kind: 'redirect-refused' as const, ...base(state), statusCode };
    if (++state.hops > MAX_REDIRECT_HOPS) {
      return { ...refused, reason: 'too-many-hops', error: new TransportError(redirectLimitMessage(MAX_REDIRECT_HOPS), { statusCode }) };
    }
    if (!o.redirects.allows(target)) {
      return { ...refused, reason: 'not-allowed', error: new ConfigError(disallowedRedirectMessage(statusCode, target.origin)) };
    }
    o.redirects.followed?.(statusCode, target);
    state.url = target;
    return 'again';
  }
  if (statusCode === 401 && token !== undefined && o.tokens && !state.retriedUnauthorized) {
    state.retriedUnauthorized = true;
    state.claims = parseClaimsChallenge(headers);
    o.tokens.invalidate();
    return 'again';
  }
  const movedTo = o.redirects?.movedTo?.(candidate);
  const identity = token !== undefined && (statusCode === 401 || statusCode === 403) ? decodeTokenClaims(token) : undefined;
  return {
    kind: 'response',
    ...base(state),
    // A server or proxy that echoes the request must not get the token into a message.
    response: token !== undefined ? { ...response, bodyText: response.bodyText.split(token).join('[redacted]') } : response,
    tokenSent: token !== undefined,
    ...(identity !== undefined ? { identity } : {}),
    ...(movedTo !== undefined ? { movedTo } : {}),
  };
}

function base(state: RequestState): OutcomeBase {
  return { url: state.url, requests: state.requests, ...(state.statusCode !== undefined ? { statusCode: state.statusCode } : {}) };
}

async function exchange(o: AuthenticatedRequestOptions, url: URL, token: string | undefined): Promise<Exchange> {
  const headers: Record<string, string> = { ...(typeof o.headers === 'function' ? o.headers() : o.headers) };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  try {
    const response = await request(url, {
      method: 'POST', headers, body: o.body, signal: o.signal, dispatcher: o.dispatcher ?? sharedDefaultDispatcher(),
    });
    const body = await readCappedBody(response.body, o.maxResponseBytes);
    return {
      kind: 'response',
      response: {
        statusCode: response.statusCode,
        statusText: response.statusText ?? '',
        headers: response.headers,
        bodyText: body.text,
        truncated: body.truncated,
        ...(body.error !== undefined ? { bodyError: body.error } : {}),
      },
    };
  } catch (error) {
    return { kind: 'network', error };
  }
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts (for providers that ignore it). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
