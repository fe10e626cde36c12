import { diag } from '@opentelemetry/api';
import { request, type Dispatcher } from 'undici';
import { decodeTokenClaims } from '../auth/decode-token-claims';
import { classifyCredentialError } from '../auth/classify-credential-error';
import type { TokenProvider } from '../auth/token-provider-types';
import { describeOutcome, urlForLog, type TelemetrySignal } from './describe-outcome';
import { createDiagnostics, type Diagnostics } from '../diag/diagnostics';
import { disallowedRedirectMessage, insecureBearerMessage, redirectLimitMessage } from '../diag/failure-messages';
import { ConfigError, ShutdownError, TransportError } from '../errors';
import { AUTH_RETRY_AFTER_MILLIS, classifyResponse } from './classify-response';
import { createDefaultDispatcher } from './create-dispatcher';
import { isSecureForBearer } from './is-secure-for-bearer';
import { parseClaimsChallenge } from './parse-claims-challenge';
import { readCappedBody } from './read-capped-body';
import { headerValue, type ResponseHeaders } from './parse-retry-after';
import { isAllowedRedirectTarget, MAX_REDIRECT_HOPS, resolveRedirectLocation } from './redirect-policy';
import { ENVELOPES_CONTENT_TYPE, type RequestBody, type SendOutcome, type Transport } from './transport-types';
import { buildUserAgent } from './user-agent';

/** Default upper bound of one HTTP request. */
export const DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
/** Response bodies are read up to this many bytes (enough for any track response). */
const MAX_RESPONSE_BYTES = 64 * 1024;

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/core/transport' });

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Ingestion endpoint (origin, optional path), e.g. `https://westeurope-5.in.applicationinsights.azure.com`. */
  readonly endpoint: string;
  /** The resource's instrumentation key (only ever logged masked). */
  readonly instrumentationKey: string;
  /** Bearer token source; with it requests go to `v2.1/track` with `Authorization`, without it to `v2/track`. */
  readonly tokenProvider?: TokenProvider;
  /** Which signal this transport carries, for log lines. */
  readonly signalName: TelemetrySignal | string;
  /** Prepended to our `User-Agent` (e.g. the distro's name and version). */
  readonly userAgent?: string;
  /** Upper bound of one request, redirects included (default 30 s); a send's own timeout may be shorter. */
  readonly requestTimeoutMillis?: number;
  /** undici dispatcher to use (not closed by `shutdown()`); default: keep-alive Agent, or EnvHttpProxyAgent under HTTP(S)_PROXY. */
  readonly dispatcher?: Dispatcher;
  /** Rate-limited diagnostics sink (default: one per transport, logging through diag). */
  readonly diagnostics?: Diagnostics;
}

type Exchange =
  | { kind: 'response'; statusCode: number; statusText: string; headers: ResponseHeaders; bodyText: string }
  | { kind: 'network'; error: unknown };

interface SendState {
  /** The URL of the last request made (or about to be made). */
  url: URL;
  /** Whether any request went out. */
  attempted: boolean;
  /** The last HTTP status received. */
  statusCode?: number;
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError('ingestion endpoint is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('ingestion endpoint must be an http(s) URL');
  return url;
}

function trackUrl(endpoint: URL, authenticated: boolean): URL {
  const base = endpoint.href.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return new URL(`${base}/${authenticated ? 'v2.1' : 'v2'}/track`);
}

function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'unknown';
}

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

/**
 * Creates the HTTP transport to Application Insights ingestion (undici, keep-alive). One `send()`:
 * - refuses (`auth-failed`, ConfigError) to put a bearer token on plain http unless the host is loopback;
 * - gets a token from `tokenProvider` (credential errors -> `auth-failed`, items kept);
 * - POSTs the body to `{endpoint}/v2.1/track` (`v2/track` without a token provider), with
 *   `Content-Encoding: gzip` when the body is gzipped;
 * - follows 307/308 only to allowed hosts (the configured one, or Azure Monitor ingestion of the
 *   same cloud), at most 10 hops, remembering a 308 target for the transport's life;
 * - after a 401, invalidates the token and retries once with a fresh one (with any `claims` challenge);
 * - classifies the final response by the status policy and reports failures to `diagnostics`.
 *
 * The whole send is bounded by `min(timeoutMillis, requestTimeoutMillis)`; on expiry the socket is
 * destroyed and the outcome is `retryable`. It resolves on every HTTP or network result.
 *
 * @throws ConfigError at creation if `endpoint` is not an http(s) URL.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const endpoint = parseEndpoint(options.endpoint);
  const { tokenProvider } = options;
  const initialUrl = trackUrl(endpoint, tokenProvider !== undefined);
  const requestTimeoutMillis = options.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS;
  const userAgent = buildUserAgent(options.userAgent);
  const ownsDispatcher = options.dispatcher === undefined;
  let dispatcher: Dispatcher | undefined = options.dispatcher;
  const diagnostics = options.diagnostics ?? createDiagnostics();
  let permanentUrl: URL | undefined;
  let closed = false;

  const getDispatcher = (): Dispatcher => (dispatcher ??= createDefaultDispatcher());

  async function exchange(url: URL, body: RequestBody, token: string | undefined, signal: AbortSignal): Promise<Exchange> {
    const headers: Record<string, string> = {
      'content-type': ENVELOPES_CONTENT_TYPE,
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (body.gzip) headers['content-encoding'] = 'gzip';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    try {
      const response = await request(url, { method: 'POST', headers, body: body.data, dispatcher: getDispatcher(), signal });
      const bodyText = await readCappedBody(response.body, MAX_RESPONSE_BYTES);
      return { kind: 'response', statusCode: response.statusCode, statusText: response.statusText ?? '', headers: response.headers, bodyText };
    } catch (error) {
      return { kind: 'network', error };
    }
  }

  async function acquireToken(claims: string | undefined, signal: AbortSignal): Promise<string> {
    if (!tokenProvider) throw new Error('no token provider');
    return abortable(tokenProvider.getToken({ ...(claims !== undefined ? { claims } : {}), abortSignal: signal }), signal);
  }

  async function sendOnce(body: RequestBody, signal: AbortSignal, state: SendState): Promise<SendOutcome> {
    let claims: string | undefined;
    let retriedUnauthorized = false;
    let hops = 0;
    for (;;) {
      if (tokenProvider && !isSecureForBearer(state.url)) {
        return { status: 'auth-failed', error: new ConfigError(insecureBearerMessage(state.url.origin)) };
      }
      let token: string | undefined;
      if (tokenProvider) {
        try {
          token = await acquireToken(claims, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          const typed = classifyCredentialError(error, { scope: tokenProvider.scope, credentialKind: 'other' });
          return { status: 'auth-failed', error: typed, retryAfterMillis: AUTH_RETRY_AFTER_MILLIS };
        }
      }
      state.attempted = true;
      const result = await exchange(state.url, body, token, signal);
      if (result.kind === 'network') {
        if (signal.aborted) throw result.error;
        return {
          status: 'retryable',
          error: new TransportError(`network error (${errorCodeOf(result.error)})`, {}, { cause: result.error }),
        };
      }
      state.statusCode = result.statusCode;
      log.debug(`[${options.signalName}] POST ${urlForLog(state.url.href)} -> ${result.statusCode} (${body.itemCount} items)`);

      if (result.statusCode === 307 || result.statusCode === 308) {
        const target = resolveRedirectLocation(state.url, headerValue(result.headers, 'location'));
        if (target) {
          if (++hops > MAX_REDIRECT_HOPS) {
            return { status: 'retryable', error: new TransportError(redirectLimitMessage(MAX_REDIRECT_HOPS), { statusCode: result.statusCode }) };
          }
          if (!isAllowedRedirectTarget(endpoint, target)) {
            return { status: 'auth-failed', error: new ConfigError(disallowedRedirectMessage(result.statusCode, target.origin)) };
          }
          if (result.statusCode === 308) permanentUrl = target;
          state.url = target;
          continue;
        }
      }

      if (result.statusCode === 401 && token !== undefined && tokenProvider && !retriedUnauthorized) {
        retriedUnauthorized = true;
        claims = parseClaimsChallenge(result.headers);
        tokenProvider.invalidate();
        continue;
      }

      return classifyResponse({
        statusCode: result.statusCode,
        statusText: result.statusText,
        headers: result.headers,
        // A server that echoes the request must not get our token into a message.
        bodyText: token !== undefined ? result.bodyText.split(token).join('[redacted]') : result.bodyText,
        itemCount: body.itemCount,
        tokenSent: token !== undefined,
        ...(tokenProvider ? { scope: tokenProvider.scope } : {}),
        ...(token !== undefined && (result.statusCode === 401 || result.statusCode === 403)
          ? { identity: decodeTokenClaims(token) } : {}),
      });
    }
  }

  return {
    async send(body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
      if (closed) return { status: 'retryable', error: new ShutdownError('transport is shut down') };
      const limitMillis = Math.max(1, Math.min(timeoutMillis, requestTimeoutMillis));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TransportError(`request timed out after ${limitMillis}ms`)), limitMillis);
      timer.unref();
      const state: SendState = { url: permanentUrl ?? initialUrl, attempted: false };
      let outcome: SendOutcome;
      try {
        outcome = await sendOnce(body, controller.signal, state);
      } catch (error) {
        if (!controller.signal.aborted) throw error; // a bug, not an HTTP or network result
        outcome = { status: 'retryable', error: new TransportError(`request timed out after ${limitMillis}ms`, {}, { cause: error }) };
      } finally {
        clearTimeout(timer);
      }
      const event = describeOutcome(outcome, {
        signal: options.signalName,
        instrumentationKey: options.instrumentationKey,
        configuredEndpoint: endpoint.href,
        ...(state.attempted ? { actualUrl: state.url.href } : {}),
        ...(state.statusCode !== undefined ? { statusCode: state.statusCode } : {}),
        itemCount: body.itemCount,
      });
      if (event) diagnostics.report(event);
      return outcome;
    },
    async shutdown(): Promise<void> {
      closed = true;
      if (ownsDispatcher && dispatcher) await dispatcher.close();
    },
  };
}
