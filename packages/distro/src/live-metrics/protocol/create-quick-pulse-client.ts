import { diag } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import {
  authenticatedRequest, AUTH_RETRY_AFTER_MILLIS, buildUserAgent, classifyResponse, ConfigError, createDefaultDispatcher,
  createDiagnostics, createHeaderRedirects, maskInstrumentationKey, redactSecrets, TransportError, urlForLog,
  type AuthenticatedOutcome, type Diagnostics, type ExporterError, type TokenProvider,
} from '@appinsights-otel/core';
import { parseQuickPulseAnswer, type QuickPulseAnswer } from './parse-quick-pulse-answer';
import {
  QUICK_PULSE_API_VERSION, QUICK_PULSE_HEADERS, QUICK_PULSE_INVARIANT_VERSION, type MonitoringDataPoint,
} from './quick-pulse-contracts';

/** Upper bound of one ping or post (Live Metrics data older than this is worthless). */
export const QUICK_PULSE_REQUEST_TIMEOUT_MILLIS = 5_000;
/** Milliseconds between 0001-01-01 and 1970-01-01, for .NET ticks. */
const EPOCH_OFFSET_MILLIS = 62_135_596_800_000;
/** Answers carry the filter configuration (a few KB; the portal's largest well under this). */
const MAX_RESPONSE_BYTES = 256 * 1024;

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro/live-metrics' });

/** What one ping or post came back with. Resolved for every HTTP or network result; never rejects. */
export type QuickPulseResult =
  | QuickPulseAnswer
  | {
    readonly status: 'failed';
    readonly error: ExporterError;
    /** `true` for 400-auth, 401, 403 and credential errors: the caller should back off slowly. */
    readonly authFailed: boolean;
    readonly retryAfterMillis?: number;
  };

/** Who is sending: the identity headers and body fields of every request. */
export interface QuickPulseIdentity {
  readonly instance: string;
  readonly machineName: string;
  readonly roleName: string;
  /** Random per process; lets the service tell restarts apart. */
  readonly streamId: string;
  /** SDK version string shown by the portal. */
  readonly version: string;
}

/** Options of {@link createQuickPulseClient}. */
export interface QuickPulseClientOptions {
  readonly instrumentationKey: string;
  /** Bearer token source (the shared provider for the ingestion scope); without one no token is sent. */
  readonly tokenProvider?: TokenProvider;
  /** undici dispatcher (not closed by `shutdown()`); default: core's keep-alive/proxy-aware dispatcher. */
  readonly dispatcher?: Dispatcher;
  /** Prepended to our `User-Agent`. */
  readonly userAgent?: string;
  readonly requestTimeoutMillis?: number;
  /** Rate-limited sink for failure lines (default: one per client). */
  readonly diagnostics?: Diagnostics;
  /** Clock (default Date.now). */
  readonly nowMillis?: () => number;
}

/** Sends pings and posts to a Live Metrics endpoint. */
export interface QuickPulseClient {
  /**
   * `POST {endpoint}/QuickPulseService.svc/ping` with one data point (no metrics), and the ETag of
   * the filter configuration applied (`''`: none).
   */
  ping(endpoint: string, point: MonitoringDataPoint, configurationEtag?: string): Promise<QuickPulseResult>;
  /** `POST {endpoint}/QuickPulseService.svc/post` with one data point (metrics and documents) and the ETag applied. */
  post(endpoint: string, point: MonitoringDataPoint, configurationEtag?: string): Promise<QuickPulseResult>;
  /** Releases the dispatcher it created. */
  shutdown(): Promise<void>;
}

/** .NET ticks (100 ns units since 0001-01-01) for an epoch time, as the service expects. */
export function toDotNetTicks(epochMillis: number): string {
  return (BigInt(Math.round(epochMillis) + EPOCH_OFFSET_MILLIS) * 10_000n).toString();
}

/** The ping/post URL for an endpoint: `{endpoint}/QuickPulseService.svc/{op}?ikey=...&api-version=...`. */
export function quickPulseUrl(endpoint: string, operation: 'ping' | 'post', instrumentationKey: string): URL {
  const base = endpoint.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const url = new URL(`${base}/QuickPulseService.svc/${operation}`);
  url.searchParams.set('ikey', instrumentationKey);
  url.searchParams.set('api-version', QUICK_PULSE_API_VERSION);
  return url;
}

/** A failed ping or post, before it is reported. */
interface QuickPulseFailure {
  readonly error: ExporterError;
  /** `true` for 400-auth, 401, 403, credential and configuration errors: back off slowly. */
  readonly authFailed: boolean;
  readonly statusCode?: number;
  readonly retryAfterMillis?: number;
}

/**
 * What an authenticated request's outcome means for Live Metrics: the ok result (subscription,
 * polling hint, endpoint redirect), or the failure, classified by the ingestion status policy.
 */
function judgeOutcome(operation: 'ping' | 'post', sent: AuthenticatedOutcome, scope: string | undefined, etag: string): QuickPulseAnswer | QuickPulseFailure {
  switch (sent.kind) {
    case 'insecure':
    case 'redirect-refused':
      return { error: sent.error, authFailed: true };
    case 'credential-failed':
      return { error: sent.error, authFailed: true, retryAfterMillis: AUTH_RETRY_AFTER_MILLIS };
    case 'network': {
      const code = (sent.error as { code?: unknown; name?: unknown }).code ?? (sent.error as { name?: unknown }).name ?? 'unknown';
      return { error: new TransportError(`Live Metrics ${operation} failed (network error ${String(code)})`, {}, { cause: sent.error }), authFailed: false };
    }
    case 'response':
      return judgeAnswer(operation, sent, scope, etag);
  }
}

function judgeAnswer(
  operation: 'ping' | 'post', sent: Extract<AuthenticatedOutcome, { kind: 'response' }>, scope: string | undefined, etag: string,
): QuickPulseAnswer | QuickPulseFailure {
  const { statusCode, headers } = sent.response;
  if (statusCode === 200 || statusCode === 202 || statusCode === 204) {
    const answer = parseQuickPulseAnswer(headers, sent.response.bodyText, etag);
    return sent.movedTo !== undefined ? { ...answer, redirectEndpoint: sent.movedTo } : answer;
  }
  const outcome = classifyResponse({
    statusCode, headers, bodyText: sent.response.bodyText, itemCount: 1, tokenSent: sent.tokenSent,
    ...(scope !== undefined ? { scope } : {}),
    ...(sent.identity !== undefined ? { identity: sent.identity } : {}),
  });
  switch (outcome.status) {
    case 'auth-failed':
    case 'retryable':
      return { error: outcome.error, authFailed: outcome.status === 'auth-failed', statusCode, ...(outcome.retryAfterMillis !== undefined ? { retryAfterMillis: outcome.retryAfterMillis } : {}) };
    case 'failure':
      return { error: outcome.error, authFailed: false, statusCode };
    default:
      return { error: new TransportError(`Live Metrics ${operation} answered ${statusCode}`, { statusCode }), authFailed: false, statusCode };
  }
}

/** Live Metrics never re-sends on a redirect: the service names its endpoint in a header instead. */
const HEADER_REDIRECTS = createHeaderRedirects(QUICK_PULSE_HEADERS.endpointRedirect);

/** The headers of one ping or post: identity, protocol version, the transmission time and the configuration ETag applied. */
function quickPulseHeaders(point: MonitoringDataPoint, userAgent: string, nowMillis: number, etag: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': userAgent,
    [QUICK_PULSE_HEADERS.transmissionTime]: toDotNetTicks(nowMillis),
    [QUICK_PULSE_HEADERS.machineName]: point.MachineName,
    [QUICK_PULSE_HEADERS.instanceName]: point.Instance,
    [QUICK_PULSE_HEADERS.streamId]: point.StreamId,
    [QUICK_PULSE_HEADERS.roleName]: point.RoleName,
    [QUICK_PULSE_HEADERS.invariantVersion]: String(QUICK_PULSE_INVARIANT_VERSION),
    [QUICK_PULSE_HEADERS.configurationEtag]: etag, // '' while none applies, as the official client
  };
}

/**
 * Creates the Live Metrics HTTP client: one JSON POST per call through core's
 * `authenticatedRequest` (the shared bearer token, refused over plain http except to loopback; a
 * 401 invalidates it and retries once, with any claims challenge; the answer read up to 256 KiB;
 * the whole call, retry included, bounded by `requestTimeoutMillis`), with the `x-ms-qps-*`
 * identity headers, the transmission time and the ETag of the filter configuration applied. The
 * service's endpoint redirect header is reported as `redirectEndpoint`, for the session to check
 * and use; a changed filter configuration (the answer's body) as `configuration`. Failures are classified by the
 * same status policy and failure messages as ingestion (400 authentication not supported, 401
 * token rejected, 403 missing role) and logged through a rate-limited diagnostics sink: each
 * distinct cause once, then at most once per 10 minutes, never once per request.
 */
export function createQuickPulseClient(options: QuickPulseClientOptions): QuickPulseClient {
  const { tokenProvider, instrumentationKey } = options;
  const now = options.nowMillis ?? Date.now;
  const timeoutMillis = options.requestTimeoutMillis ?? QUICK_PULSE_REQUEST_TIMEOUT_MILLIS;
  const userAgent = buildUserAgent(options.userAgent);
  const diagnostics = options.diagnostics ?? createDiagnostics({ logger: log });
  const ownsDispatcher = options.dispatcher === undefined;
  let dispatcher = options.dispatcher;
  /** Set by shutdown(): a request our own shutdown cut short is not a failure to report. */
  let closing = false;

  function fail(where: string, failure: QuickPulseFailure): QuickPulseResult {
    const { error, authFailed, statusCode, retryAfterMillis } = failure;
    if (!closing) diagnostics.report({
      causeKey: `live-metrics:${error.code}:${statusCode ?? ''}`,
      level: authFailed ? 'error' : 'warn',
      message: redactSecrets(
        `[live metrics] ${error.message} | status ${statusCode ?? 'none'}, ikey ${maskInstrumentationKey(instrumentationKey)}, ` +
        `endpoint ${where} | Live Metrics is paused and retried ${authFailed ? 'with slow backoff' : 'later'}; other telemetry is unaffected`,
      ),
    });
    return { status: 'failed', error, authFailed, ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}) };
  }

  async function send(operation: 'ping' | 'post', endpoint: string, point: MonitoringDataPoint, etag: string): Promise<QuickPulseResult> {
    let url: URL;
    try {
      url = quickPulseUrl(endpoint, operation, instrumentationKey);
    } catch {
      return fail('(invalid)', { error: new ConfigError('the Live Metrics endpoint is not a valid URL: check LiveEndpoint in the connection string'), authFailed: true });
    }
    const sent = await authenticatedRequest({
      url,
      headers: () => quickPulseHeaders(point, userAgent, now(), etag),
      body: JSON.stringify(operation === 'post' ? [point] : point),
      ...(tokenProvider ? { tokens: tokenProvider } : {}),
      signal: AbortSignal.timeout(timeoutMillis),
      maxResponseBytes: MAX_RESPONSE_BYTES,
      redirects: HEADER_REDIRECTS,
      dispatcher: (dispatcher ??= createDefaultDispatcher()),
      onResponse: (requested, statusCode) => log.debug(`${operation} ${urlForLog(requested.href)} -> ${statusCode}`),
    });
    const verdict = judgeOutcome(operation, sent, tokenProvider?.scope, etag);
    return 'status' in verdict ? verdict : fail(urlForLog(url.href), verdict);
  }

  return {
    ping: (endpoint, point, configurationEtag = '') => send('ping', endpoint, point, configurationEtag),
    post: (endpoint, point, configurationEtag = '') => send('post', endpoint, point, configurationEtag),
    async shutdown() {
      closing = true;
      if (ownsDispatcher && dispatcher) await dispatcher.close();
    },
  };
}
