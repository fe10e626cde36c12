import { diag } from '@opentelemetry/api';
import { request, type Dispatcher } from 'undici';
import {
  AUTH_RETRY_AFTER_MILLIS, buildUserAgent, classifyCredentialError, classifyResponse, ConfigError, createDefaultDispatcher,
  createDiagnostics, decodeTokenClaims, insecureBearerMessage, isSecureForBearer, maskInstrumentationKey,
  parseClaimsChallenge, readCappedBody, redactSecrets, TransportError, urlForLog,
  type Diagnostics, type ExporterError, type ResponseHeaders, type TokenProvider,
} from '@appinsights-otel/core';
import {
  QUICK_PULSE_API_VERSION, QUICK_PULSE_HEADERS, QUICK_PULSE_INVARIANT_VERSION, type MonitoringDataPoint,
} from './quick-pulse-contracts';
import { parseQuickPulseAnswer, type QuickPulseAnswer } from './parse-quick-pulse-answer';

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

/**
 * Creates the Live Metrics HTTP client: one JSON POST per call, with the shared bearer token
 * (refused over plain http except to loopback), the `x-ms-qps-*` identity headers and the
 * transmission time. A 401 invalidates the token and retries once. Failures are classified by the
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

  function fail(where: string, error: ExporterError, authFailed: boolean, statusCode?: number, retryAfterMillis?: number): QuickPulseResult {
    diagnostics.report({
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
      return fail('(invalid)', new ConfigError('the Live Metrics endpoint is not a valid URL: check LiveEndpoint in the connection string'), true);
    }
    const where = urlForLog(url.href);
    if (tokenProvider && !isSecureForBearer(url)) return fail(where, new ConfigError(insecureBearerMessage(url.origin)), true);
    const body = JSON.stringify(operation === 'post' ? [point] : point);
    let claims: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const signal = AbortSignal.timeout(timeoutMillis);
      let token: string | undefined;
      if (tokenProvider) {
        try {
          token = await tokenProvider.getToken({ ...(claims !== undefined ? { claims } : {}), abortSignal: signal });
        } catch (error) {
          return fail(where, classifyCredentialError(error, { scope: tokenProvider.scope, credentialKind: 'other' }), true, undefined, AUTH_RETRY_AFTER_MILLIS);
        }
      }
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': userAgent,
        [QUICK_PULSE_HEADERS.transmissionTime]: toDotNetTicks(now()),
        [QUICK_PULSE_HEADERS.machineName]: point.MachineName,
        [QUICK_PULSE_HEADERS.instanceName]: point.Instance,
        [QUICK_PULSE_HEADERS.streamId]: point.StreamId,
        [QUICK_PULSE_HEADERS.roleName]: point.RoleName,
        [QUICK_PULSE_HEADERS.invariantVersion]: String(QUICK_PULSE_INVARIANT_VERSION),
        ...(etag !== '' ? { [QUICK_PULSE_HEADERS.configurationEtag]: etag } : {}),
      };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      let statusCode: number;
      let responseHeaders: ResponseHeaders;
      let bodyText: string;
      try {
        const response = await request(url, { method: 'POST', headers, body, dispatcher: (dispatcher ??= createDefaultDispatcher()), signal });
        statusCode = response.statusCode;
        responseHeaders = response.headers;
        bodyText = await readCappedBody(response.body, MAX_RESPONSE_BYTES);
      } catch (error) {
        const code = (error as { code?: unknown; name?: unknown }).code ?? (error as { name?: unknown }).name ?? 'unknown';
        return fail(where, new TransportError(`Live Metrics ${operation} failed (network error ${String(code)})`, {}, { cause: error }), false);
      }
      log.debug(`${operation} ${urlForLog(url.href)} -> ${statusCode}`);
      if (statusCode === 200 || statusCode === 202 || statusCode === 204) return parseQuickPulseAnswer(responseHeaders, bodyText, etag);
      if (statusCode === 401 && token !== undefined && tokenProvider && attempt === 0) {
        claims = parseClaimsChallenge(responseHeaders);
        tokenProvider.invalidate();
        continue;
      }
      const outcome = classifyResponse({
        statusCode,
        headers: responseHeaders,
        bodyText: token !== undefined ? bodyText.split(token).join('[redacted]') : bodyText,
        itemCount: 1,
        tokenSent: token !== undefined,
        ...(tokenProvider ? { scope: tokenProvider.scope } : {}),
        ...(token !== undefined && (statusCode === 401 || statusCode === 403) ? { identity: decodeTokenClaims(token) } : {}),
      });
      switch (outcome.status) {
        case 'auth-failed':
          return fail(where, outcome.error, true, statusCode, outcome.retryAfterMillis);
        case 'retryable':
          return fail(where, outcome.error, false, statusCode, outcome.retryAfterMillis);
        case 'failure':
          return fail(where, outcome.error, false, statusCode);
        default:
          return fail(where, new TransportError(`Live Metrics ${operation} answered ${statusCode}`, { statusCode }), false, statusCode);
      }
    }
  }

  return {
    ping: (endpoint, point, configurationEtag = '') => send('ping', endpoint, point, configurationEtag),
    post: (endpoint, point, configurationEtag = '') => send('post', endpoint, point, configurationEtag),
    async shutdown() {
      if (ownsDispatcher && dispatcher) await dispatcher.close();
    },
  };
}
