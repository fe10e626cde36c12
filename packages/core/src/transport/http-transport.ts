import { diag } from '@opentelemetry/api';
import type { Dispatcher } from './undici';
import type { TokenProvider } from '../auth/token-provider-types';
import { urlForLog, type TelemetrySignal } from '../diag/diagnostic-event';
import { createDiagnostics, type Diagnostics } from '../diag/diagnostics';
import { ConfigError, ShutdownError, TransportError } from '../errors';
import { authenticatedRequest, type AuthenticatedOutcome } from './authenticated-request';
import { AUTH_RETRY_AFTER_MILLIS, classifyResponse } from './classify-response';
import { createDefaultDispatcher } from './create-dispatcher';
import { describeOutcome } from './describe-outcome';
import { createIngestionRedirects, type IngestionRedirects } from './redirect-policy';
import { ENVELOPES_CONTENT_TYPE, type RequestBody, type SendOutcome, type Transport } from './transport-types';
import { buildUserAgent } from './user-agent';

/** Default upper bound of one HTTP request. */
const DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
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
 * Creates the HTTP transport to Application Insights ingestion (undici, keep-alive). One `send()`
 * goes through {@link authenticatedRequest} (the one home of the token, the https-only rule, the
 * 401 retry with claims, the body cap and redaction) with ingestion's redirect policy:
 * - POSTs the body to `{endpoint}/v2.1/track` (`v2/track` without a token provider), with
 *   `Content-Encoding: gzip` when the body is gzipped;
 * - follows 307/308 only to allowed hosts (the configured one, or Azure Monitor ingestion of the
 *   same cloud), at most 10 hops, remembering a 308 target for the transport's life;
 * - a token over plain http to a non-loopback host, or a disallowed redirect, is `auth-failed`
 *   (ConfigError); a credential error is `auth-failed` with the items kept;
 * - classifies the final response by the status policy and reports failures to `diagnostics`.
 *
 * The whole send is bounded by `min(timeoutMillis, requestTimeoutMillis)`; on expiry the socket is
 * destroyed and the outcome is `retryable`. It resolves on every HTTP or network result.
 *
 * @throws ConfigError at creation if `endpoint` is not an http(s) URL.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const endpoint = parseEndpoint(options.endpoint);
  const ownsDispatcher = options.dispatcher === undefined;
  let dispatcher: Dispatcher | undefined = options.dispatcher;
  const ingestion: Ingestion = {
    options,
    endpoint,
    initialUrl: trackUrl(endpoint, options.tokenProvider !== undefined),
    requestTimeoutMillis: options.requestTimeoutMillis ?? DEFAULT_REQUEST_TIMEOUT_MILLIS,
    userAgent: buildUserAgent(options.userAgent),
    diagnostics: options.diagnostics ?? createDiagnostics(),
    redirects: createIngestionRedirects(endpoint),
    dispatcher: () => (dispatcher ??= createDefaultDispatcher()),
  };
  let closed = false;
  return {
    async send(body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
      if (closed) return { status: 'retryable', error: new ShutdownError('transport is shut down') };
      return sendBounded(ingestion, body, timeoutMillis);
    },
    async shutdown(): Promise<void> {
      closed = true;
      if (ownsDispatcher && dispatcher) await dispatcher.close();
    },
  };
}

/** What every send of one transport shares. */
interface Ingestion {
  readonly options: HttpTransportOptions;
  readonly endpoint: URL;
  readonly initialUrl: URL;
  readonly requestTimeoutMillis: number;
  readonly userAgent: string;
  readonly diagnostics: Diagnostics;
  readonly redirects: IngestionRedirects;
  dispatcher(): Dispatcher;
}

/** One send, bounded by `min(timeoutMillis, requestTimeoutMillis)`, its failure reported to diagnostics. */
async function sendBounded(ingestion: Ingestion, body: RequestBody, timeoutMillis: number): Promise<SendOutcome> {
  const limitMillis = Math.max(1, Math.min(timeoutMillis, ingestion.requestTimeoutMillis));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TransportError(`request timed out after ${limitMillis}ms`)), limitMillis);
  timer.unref();
  let sent: AuthenticatedOutcome;
  try {
    sent = await sendOnce(ingestion, body, controller.signal);
  } finally {
    clearTimeout(timer);
  }
  const outcome = controller.signal.aborted && (sent.kind === 'network' || sent.kind === 'credential-failed')
    ? timedOut(limitMillis, sent.error)
    : toSendOutcome(sent, body.itemCount, ingestion.options.tokenProvider?.scope);
  const event = describeOutcome(outcome, {
    signal: ingestion.options.signalName,
    instrumentationKey: ingestion.options.instrumentationKey,
    configuredEndpoint: ingestion.endpoint.href,
    ...(sent.requests > 0 ? { actualUrl: sent.url.href } : {}),
    ...(sent.statusCode !== undefined ? { statusCode: sent.statusCode } : {}),
    itemCount: body.itemCount,
  });
  if (event) ingestion.diagnostics.report(event);
  return outcome;
}

/** The POST to `v2.1/track` (or the remembered 308 target), through the one authenticated request. */
function sendOnce(ingestion: Ingestion, body: RequestBody, signal: AbortSignal): Promise<AuthenticatedOutcome> {
  const { options, redirects } = ingestion;
  return authenticatedRequest({
    url: redirects.permanentUrl() ?? ingestion.initialUrl,
    headers: {
      'content-type': ENVELOPES_CONTENT_TYPE,
      accept: 'application/json',
      'user-agent': ingestion.userAgent,
      ...(body.gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: body.data,
    ...(options.tokenProvider ? { tokens: options.tokenProvider } : {}),
    signal,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    redirects,
    dispatcher: ingestion.dispatcher(),
    onResponse: (url, statusCode) => log.debug(`[${options.signalName}] POST ${urlForLog(url.href)} -> ${statusCode} (${body.itemCount} items)`),
  });
}

function timedOut(limitMillis: number, cause: unknown): SendOutcome {
  return { status: 'retryable', error: new TransportError(`request timed out after ${limitMillis}ms`, { timedOut: true }, { cause }) };
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
