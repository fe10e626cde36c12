import { AuthError, classifyStatus, describeIdentity, type ExporterError } from '@appinsights-otel/core';
import { QueryError } from './query-error';

/** The identity a token was issued to, as far as its (unverified) claims say. */
interface TokenIdentity {
  readonly appid?: string;
  readonly oid?: string;
  readonly tid?: string;
  readonly aud?: string;
}

/** What the client knows about a failed query response. */
export interface QueryFailure {
  readonly statusCode: number;
  /** Parsed JSON body, if any. */
  readonly body: unknown;
  readonly appId: string;
  readonly scope: string;
  readonly identity?: TokenIdentity;
  /** The `WWW-Authenticate` header, if any. */
  readonly wwwAuthenticate?: string;
  readonly retryAfterMillis?: number;
}

/**
 * Turns a non-2xx query API response into a typed error whose message says what to fix. Which
 * kind of failure a status is comes from core's status policy (`classifyStatus`), the same table
 * ingestion uses; only the wording is the query API's:
 * - 401 (`unauthorized`): `AuthError(401)`: the token was rejected; names the scope used;
 * - 403 (`forbidden`): `AuthError(403)`: the identity needs the Reader role on the resource;
 * - 400: `QueryError` with the service's code and message (e.g. `BadArgumentError: Syntax error ...`);
 * - 404: `QueryError`: no application with that id;
 * - `transient` and `quota` statuses (429, 5xx, 402, 439): `QueryError` with the server's retry hint;
 * - anything else: `QueryError` with the status.
 */
export function classifyQueryFailure(failure: QueryFailure): ExporterError {
  const service = serviceError(failure.body);
  const detail = service.message !== undefined ? `: ${service.code ?? 'Error'}: ${service.message}` : '';
  const who = failure.identity !== undefined ? ` (${describeIdentity(failure.identity)}${failure.identity.aud !== undefined ? `, audience ${failure.identity.aud}` : ''})` : '';
  switch (classifyStatus(failure.statusCode)) {
    case 'unauthorized':
      return new AuthError(
        `query API rejected the token (401) requested for scope ${failure.scope}${who}`
        + `${challengeDetail(failure.wwwAuthenticate)}. The token's audience must be the query API of the resource's cloud `
        + '(https://api.applicationinsights.io, .azure.cn or .us; not https://monitor.azure.com, which is for ingestion) '
        + 'and it must come from the tenant that owns the Application Insights resource.',
        401,
      );
    case 'forbidden':
      return new AuthError(
        `query API refused access (403): ${describeIdentity(failure.identity)} `
        + `lacks read access to application ${failure.appId}. Assign it the Reader role (or Monitoring Reader) on the `
        + 'Application Insights resource, then allow a few minutes for the role assignment to propagate.',
        403,
      );
    case 'transient':
    case 'quota':
      return new QueryError(
        `query API answered ${failure.statusCode}${detail}; retry ${failure.retryAfterMillis !== undefined ? `in ${Math.ceil(failure.retryAfterMillis / 1000)} s` : 'later'}`,
        failure.statusCode, service.code, failure.retryAfterMillis,
      );
    default:
      if (failure.statusCode === 400) {
        return new QueryError(`query API rejected the query (400)${detail}`, 400, service.code ?? 'BadArgumentError');
      }
      if (failure.statusCode === 404) {
        return new QueryError(
          `query API found no application ${failure.appId} (404)${detail}. Use the resource's Application ID `
          + '(API Access blade, or ApplicationId in the connection string), not the instrumentation key.',
          404, service.code,
        );
      }
      return new QueryError(`query API answered ${failure.statusCode}${detail}`, failure.statusCode, service.code);
  }
}

function challengeDetail(header: string | undefined): string {
  const description = header !== undefined ? /error_description="([^"]*)"/i.exec(header)?.[1] : undefined;
  return description !== undefined && description !== '' ? `; the service says: ${description}` : '';
}

/** The innermost `{ code, message }` of `{ error: { code, message, innererror: {...} } }`. */
function serviceError(body: unknown): { code?: string; message?: string } {
  if (!isRecord(body) || !isRecord(body['error'])) return {};
  const outer = body['error'];
  const code = typeof outer['code'] === 'string' ? outer['code'] : undefined;
  const messages: string[] = [];
  let node: unknown = outer;
  for (let depth = 0; isRecord(node) && depth < 5; depth++) {
    if (typeof node['message'] === 'string' && !messages.includes(node['message'])) messages.push(node['message']);
    node = node['innererror'] ?? node['innerError'];
  }
  const result: { code?: string; message?: string } = {};
  if (code !== undefined) result.code = code;
  if (messages.length > 0) result.message = messages.join(' ');
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
