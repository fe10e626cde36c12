import { diag } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { TokenProvider } from '../auth/token-provider-types';
import { urlForLog, type TelemetrySignal } from '../diag/diagnostic-event';
import { createDiagnostics, type Diagnostics } from '../diag/diagnostics';
import { ConfigError, ShutdownError, TransportError } from '../errors';
import { authenticatedRequest, type AuthenticatedOutcome } from './authenticated-request';
import { AUTH_RETRY_AFTER_MILLIS, classifyResponse } from './classify-response';
import { createDefaultDispatcher } from './create-dispatcher';
import { describeOutcome } from './describe-outcome';
import { createIngestionRedirects } from './redirect-policy';
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
  const redirects = createIngestionRedirects(endpoint);
  let closed = false;

  async function sendOnce(body: RequestBody, signal: AbortSignal): Promise<{ outcome: SendOutcome; sent: AuthenticatedOutcome }> {
    const sent = await authenticatedRequest({
      url: redirects.permanentUrl() ?? initialUrl,
      headers: {
        'content-type': ENVELOPES_CONTENT_TYPE,
        accept: 'application/json',
        'user-agent': userAgent,
        ...(body.gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: body.data,
      ...(tokenProvider ? { tokens: tokenProvider } : {}),
      signal,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      redirects,
      dispatcher: (dispatcher ??= createDefaultDispatcher()),
      onResponse: (url, statusCode) => log.debug(`[${options.signalName}] POST ${urlForLog(url.href)} -> ${statusCode} (${body.itemCount} items)`),
    });
    return { outcome: toSendOutcome(sent, body.itemCount, tokenProvider?.scope), sent };
  }

  return {
    async send(body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
      if (closed) return { status: 'retryable', error: new ShutdownError('transport is shut down') };
      const limitMillis = Math.max(1, Math.min(timeoutMillis, requestTimeoutMillis));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TransportError(`request timed out after ${limitMillis}ms`)), limitMillis);
      timer.unref();
      let result: { outcome: SendOutcome; sent: AuthenticatedOutcome };
      try {
        result = await sendOnce(body, controller.signal);
      } finally {
        clearTimeout(timer);
      }
      const { sent } = result;
      const outcome = controller.signal.aborted && (sent.kind === 'network' || sent.kind === 'credential-failed')
        ? timedOut(limitMillis, sent.error)
        : result.outcome;
      const event = describeOutcome(outcome, {
        signal: options.signalName,
        instrumentationKey: options.instrumentationKey,
        configuredEndpoint: endpoint.href,
        ...(sent.requests > 0 ? { actualUrl: sent.url.href } : {}),
        ...(sent.kind === 'response' ? { statusCode: sent.response.statusCode } : {}),
        ...(sent.kind === 'redirect-refused' ? { statusCode: sent.statusCode } : {}),
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

function timedOut(limitMillis: number, cause: unknown): SendOutcome {
  return { status: 'retryable', error: new TransportError(`request timed out after ${limitMillis}ms`, {}, { cause }) };
}

/** An authenticated request's outcome as an ingestion send outcome, by the status policy. */
function toSendOutcome(sent: AuthenticatedOutcome, itemCount: number, scope: string | undefined): SendOutcome {
  switch (sent.kind) {
    case 'insecure':
      return { status: 'auth-failed', error: sent.error };
    case 'credential-failed':
      return { status: 'auth-failed', error: sent.error, retryAfterMillis: AUTH_RETRY_AFTER_MILLIS };
    case 'network':
      return { status: 'retryable', error: new TransportError(`network error (${errorCodeOf(sent.error)})`, {}, { cause: sent.error }) };
    case 'redirect-refused':
      return sent.reason === 'not-allowed' ? { status: 'auth-failed', error: sent.error } : { status: 'retryable', error: sent.error };
    case 'response':
      return classifyResponse({
        statusCode: sent.response.statusCode,
        statusText: sent.response.statusText,
        headers: sent.response.headers,
        bodyText: sent.response.bodyText,
        itemCount,
        tokenSent: sent.tokenSent,
        ...(scope !== undefined ? { scope } : {}),
        ...(sent.identity !== undefined ? { identity: sent.identity } : {}),
      });
  }
}
