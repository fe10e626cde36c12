import type { TokenCredential } from '@azure/core-auth';
import {
  ConfigError, ExporterError, TransportError, authenticatedRequest, getSharedTokenProvider, headerValue,
  parseRetryAfter, type AuthenticatedOutcome, type AuthenticatedResponse, type TokenProvider,
} from '@appinsights-otel/core';
import { classifyQueryFailure } from './classify-query-failure';
import { resolveQueryTarget, type QueryTarget } from './query-cloud';
import { parseQueryResult } from './parse-query-result';
import type { QueryCloud, QueryOptions, QueryResult } from './query-types';

const DEFAULT_TIMEOUT_MILLIS = 60_000;
/**
 * Default cap of an answer's size: twice the 64 MB the query API returns at most, so a real result
 * is never cut, while a runaway answer (a misbehaving proxy) cannot exhaust memory.
 */
const DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024;
const APP_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** Options of {@link QueryClient}. */
export interface QueryClientOptions {
  /** The Application Insights resource's Application ID (not the instrumentation key). */
  readonly appId: string;
  /** A Microsoft Entra ID credential whose identity has the Reader role on the resource. */
  readonly credential: TokenCredential;
  /**
   * Query API base URL. Default: the cloud's (`https://api.applicationinsights.io` for public).
   * Must be https, except for loopback hosts (a local emulator).
   */
  readonly endpoint?: string;
  /** Azure cloud; selects the default endpoint and the token scope. Default: from `endpoint`, else public. */
  readonly cloud?: QueryCloud;
  /** Override the token audience/scope (normalised to `<origin>/.default`). Rarely needed. */
  readonly audience?: string;
  /** Upper bound for one query, token acquisition included. Default 60 s. */
  readonly timeoutMillis?: number;
  /** Largest answer read, in bytes; a larger one fails with a message to narrow the query. Default 128 MiB. */
  readonly maxResponseBytes?: number;
}

/**
 * Client for the Application Insights query API (`POST {endpoint}/v1/apps/{appId}/query`),
 * authenticated with Microsoft Entra ID.
 *
 * @example
 * ```ts
 * const client = new QueryClient({ appId, credential: new ManagedIdentityCredential() });
 * const { tables } = await client.query('requests | summarize count() by resultCode', { timespan: 'PT1H' });
 * console.table(tableToObjects(tables[0]!));
 * ```
 */
export class QueryClient {
  private readonly _appId: string;
  private readonly _target: QueryTarget;
  private readonly _tokens: TokenProvider;
  private readonly _timeoutMillis: number;
  private readonly _maxResponseBytes: number;

  /** @throws ConfigError for a missing appId or credential, or an unusable endpoint/cloud. */
  constructor(options: QueryClientOptions) {
    if (typeof options?.appId !== 'string' || !APP_ID_PATTERN.test(options.appId.trim())) {
      throw new ConfigError('QueryClient option "appId" must be the Application Insights resource\'s Application ID (a GUID)');
    }
    if (options.credential === undefined || typeof options.credential.getToken !== 'function') {
      throw new ConfigError('QueryClient option "credential" must be a TokenCredential (e.g. ManagedIdentityCredential from @azure/identity)');
    }
    if (options.maxResponseBytes !== undefined && !(Number.isInteger(options.maxResponseBytes) && options.maxResponseBytes > 0)) {
      throw new ConfigError('QueryClient option "maxResponseBytes" must be a positive integer (bytes)');
    }
    this._appId = options.appId.trim();
    this._target = resolveQueryTarget(options);
    this._tokens = getSharedTokenProvider(options.credential, this._target.scope);
    this._timeoutMillis = options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS;
    this._maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** The token scope this client requests (e.g. `https://api.applicationinsights.io/.default`). */
  get scope(): string {
    return this._target.scope;
  }

  /**
   * Runs a KQL query.
   *
   * @param kql - The query, e.g. `requests | take 10`.
   * @param options - `timespan` (ISO-8601 duration or interval) and an abort signal.
   * @returns The result tables, typed.
   * @throws QueryError (400 with the service's message, 404, other statuses), AuthError (401/403,
   *   with the fix), CredentialUnavailableError / CredentialAuthenticationError (no token),
   *   TransportError (network failure or timeout).
   */
  async query(kql: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (typeof kql !== 'string' || kql.trim() === '') throw new ConfigError('query text must be a non-empty string');
    const timeout = AbortSignal.timeout(this._timeoutMillis);
    const signal = options.abortSignal !== undefined ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
    const url = new URL(`${this._target.endpoint}/v1/apps/${encodeURIComponent(this._appId)}/query`);
    if (options.timespan !== undefined) url.searchParams.set('timespan', options.timespan);

    const sent = await authenticatedRequest({
      url,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: kql }),
      tokens: this._tokens,
      signal,
      maxResponseBytes: this._maxResponseBytes,
    });
    switch (sent.kind) {
      case 'credential-failed':
      case 'insecure':
      case 'redirect-refused':
        throw sent.error;
      case 'network':
        throw this._transportError(url, signal, sent.error);
      case 'response':
        return this._settle(url, signal, sent);
    }
  }

  /** The result of a final response, or the typed error that explains it. */
  private _settle(url: URL, signal: AbortSignal, sent: Extract<AuthenticatedOutcome, { kind: 'response' }>): QueryResult {
    const { response } = sent;
    // A reset or timeout while reading the answer: what arrived is not the answer.
    if (response.bodyError !== undefined) throw this._transportError(url, signal, response.bodyError);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (ok && response.truncated) {
      throw new ExporterError(`query API answered with more than ${this._maxResponseBytes} bytes; narrow the query (take, project, summarize) or raise maxResponseBytes`);
    }
    const body = parseBody(response, ok);
    if (ok) return parseQueryResult(body);
    const wwwAuthenticate = headerValue(response.headers, 'www-authenticate');
    const retryAfterMillis = parseRetryAfter(response.headers);
    throw classifyQueryFailure({
      statusCode: response.statusCode,
      body,
      appId: this._appId,
      scope: this._target.scope,
      ...(sent.identity !== undefined ? { identity: sent.identity } : {}),
      ...(wwwAuthenticate !== undefined ? { wwwAuthenticate } : {}),
      ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
    });
  }

  private _transportError(url: URL, signal: AbortSignal, error: unknown): TransportError {
    const what = signal.aborted ? `timed out or was aborted after ${this._timeoutMillis} ms` : 'failed';
    return new TransportError(`query API request to ${url.origin} ${what}: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }
}

/** The JSON body of an answer; a success must have one, a failure may not. */
function parseBody(response: AuthenticatedResponse, ok: boolean): unknown {
  try {
    return response.bodyText === '' ? undefined : JSON.parse(response.bodyText);
  } catch {
    if (ok) throw new ExporterError('query API answered with a body that is not JSON');
    return undefined;
  }
}
