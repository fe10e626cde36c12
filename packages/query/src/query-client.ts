import type { TokenCredential } from '@azure/core-auth';
import { request } from 'undici';
import {
  ConfigError, ExporterError, TransportError, decodeTokenClaims, getSharedTokenProvider, headerValue,
  parseClaimsChallenge, parseRetryAfter, type TokenProvider,
} from '@appinsights-otel/core';
import { classifyQueryFailure } from './classify-query-failure';
import { resolveQueryTarget, type QueryTarget } from './query-cloud';
import { parseQueryResult } from './parse-query-result';
import type { QueryCloud, QueryOptions, QueryResult } from './query-types';

const DEFAULT_TIMEOUT_MILLIS = 60_000;
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

  /** @throws ConfigError for a missing appId or credential, or an unusable endpoint/cloud. */
  constructor(options: QueryClientOptions) {
    if (typeof options?.appId !== 'string' || !APP_ID_PATTERN.test(options.appId.trim())) {
      throw new ConfigError('QueryClient option "appId" must be the Application Insights resource\'s Application ID (a GUID)');
    }
    if (options.credential === undefined || typeof options.credential.getToken !== 'function') {
      throw new ConfigError('QueryClient option "credential" must be a TokenCredential (e.g. ManagedIdentityCredential from @azure/identity)');
    }
    this._appId = options.appId.trim();
    this._target = resolveQueryTarget(options);
    this._tokens = getSharedTokenProvider(options.credential, this._target.scope);
    this._timeoutMillis = options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS;
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
    const body = JSON.stringify({ query: kql });

    let token = await this._tokens.getToken({ abortSignal: signal });
    let response = await this._post(url, body, token, signal);
    if (response.statusCode === 401) {
      // A stale or revoked token, or a claims challenge (CAE): try once more with a fresh token,
      // passing the challenge's claims to the credential as the ingestion transport does.
      this._tokens.invalidate();
      token = await this._tokens.getToken({ abortSignal: signal, ...(response.claims !== undefined ? { claims: response.claims } : {}) });
      response = await this._post(url, body, token, signal);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return parseQueryResult(response.body);
    const identity = decodeTokenClaims(token);
    throw classifyQueryFailure({
      statusCode: response.statusCode,
      body: response.body,
      appId: this._appId,
      scope: this._target.scope,
      ...(identity !== undefined ? { identity } : {}),
      ...(response.wwwAuthenticate !== undefined ? { wwwAuthenticate: response.wwwAuthenticate } : {}),
      ...(response.retryAfterMillis !== undefined ? { retryAfterMillis: response.retryAfterMillis } : {}),
    });
  }

  private async _post(url: URL, body: string, token: string, signal: AbortSignal): Promise<RawResponse> {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
        signal,
      });
    } catch (error: unknown) {
      throw this._transportError(url, signal, error);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error: unknown) {
      throw this._transportError(url, signal, error); // reset or timeout while reading the answer
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (res.statusCode >= 200 && res.statusCode < 300) throw new ExporterError('query API answered with a body that is not JSON');
      parsed = undefined;
    }
    return {
      statusCode: res.statusCode,
      body: parsed,
      wwwAuthenticate: headerValue(res.headers, 'www-authenticate'),
      claims: parseClaimsChallenge(res.headers),
      retryAfterMillis: parseRetryAfter(res.headers),
    };
  }

  private _transportError(url: URL, signal: AbortSignal, error: unknown): TransportError {
    const what = signal.aborted ? `timed out or was aborted after ${this._timeoutMillis} ms` : 'failed';
    return new TransportError(`query API request to ${url.origin} ${what}: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }
}

interface RawResponse {
  readonly statusCode: number;
  readonly body: unknown;
  readonly wwwAuthenticate: string | undefined;
  /** The `claims` of a `WWW-Authenticate` challenge, for the token request of the retry. */
  readonly claims: string | undefined;
  readonly retryAfterMillis: number | undefined;
}
