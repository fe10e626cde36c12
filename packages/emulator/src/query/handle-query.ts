import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { TokenSigner } from '../auth/create-token-signer';
import { QUERY_AUDIENCES } from '../auth/audiences';
import { bearerChallenge, verifyBearer } from '../auth/verify-bearer';
import { KqlError, QueryLimitError } from '../errors';
import type { Store } from '../storage/store';
import { isTableName, TABLE_SCHEMAS } from '../storage/table-schemas';
import { readSmallBody, requestUrl, sendJson, sendJsonChunks } from '../server/http-io';
import type { LoggedRequest } from '../server/create-request-log';
import { evaluateKql, type ResultTable } from './evaluate-kql';
import { formatResultChunks } from './format-result';
import { parseKql } from './parse-kql';
import { createQueryBudget, type QueryBudget } from './query-budget';
import { parseTimespan, type TimeRange } from './parse-timespan';

/** What the query handler needs. */
export interface QueryContext {
  readonly registry: Registry;
  readonly store: Store;
  readonly signer: TokenSigner;
  readonly authorityHost: () => string;
  readonly now: () => number;
}

function apiError(res: ServerResponse, log: LoggedRequest, status: number, code: string, message: string, inner?: Record<string, string>, headers: Record<string, string> = {}): void {
  log.status = status;
  sendJson(res, status, { error: { code, message, ...(inner ? { innererror: inner } : {}) } }, headers);
}

/**
 * Runs a query text over the store for one application; throws {@link KqlError} for a query it
 * cannot parse and {@link QueryLimitError} for one over the emulator's limits.
 */
export function runQuery(store: Store, appId: string, query: string, range: TimeRange | undefined, nowMillis: number, limits?: QueryBudget): ResultTable {
  const parsed = parseKql(query);
  // The time limit starts after parsing: Kusto.Language's first use alone can take seconds.
  const budget = limits ?? createQueryBudget();
  return evaluateKql(parsed, (table) => {
    if (!isTableName(table)) throw new KqlError(`Failed to resolve table '${table}'`, { code: 'SEM0100', table });
    const rows = store.read(table, { appId, ...(range ?? {}), limit: budget.maxRowsScanned + 1 });
    budget.scanned(rows.length, table);
    return { columns: TABLE_SCHEMAS[table], rows };
  }, nowMillis, budget);
}

/**
 * The query API's body for a query it cannot run, nested as the service nests it:
 * `{ error: { code: BadArgumentError, message, innererror: { code: SyntaxError|SemanticError, message, innererror: { code, message, ... } } } }`.
 */
export function kqlErrorBody(e: KqlError): { error: Record<string, unknown> } {
  const { kind, code = 'SYN0002', ...rest } = e.detail;
  if (kind === undefined || kind === 'Limit') {
    // One of the emulator's own limits (query length, nesting) or a bad request parameter: one level, like QueryLimitError.
    return { error: { code: 'BadArgumentError', message: e.message, innererror: { code, message: e.message, ...rest } } };
  }
  const outer = kind === 'SemanticError' ? 'A semantic error occurred.' : 'A recognition error occurred in the query.';
  return {
    error: {
      code: 'BadArgumentError',
      message: 'The request had some invalid properties',
      innererror: { code: kind, message: outer, innererror: { code, message: e.message, ...rest } },
    },
  };
}

/** Handles `GET|POST /v1/apps/{appId}/query`. */
export async function handleQuery(req: IncomingMessage, res: ServerResponse, ctx: QueryContext, appId: string, log: LoggedRequest): Promise<void> {
  const url = requestUrl(req);
  const resource = ctx.registry.resourceByAppId(appId);
  const authorizationUri = `${ctx.authorityHost()}/${ctx.registry.tenantId}`;
  const check = verifyBearer(req.headers.authorization, { signer: ctx.signer, tenantId: ctx.registry.tenantId, audiences: QUERY_AUDIENCES, nowSeconds: Math.floor(ctx.now() / 1000) });
  if (!check.ok) {
    req.resume();
    apiError(res, log, 401, 'InvalidAuthenticationTokenAudience', `Valid authentication was not provided: ${check.description}`, undefined,
      { 'www-authenticate': bearerChallenge(authorizationUri, check.description, !check.missing) });
    return;
  }
  if (!resource) {
    req.resume();
    apiError(res, log, 404, 'PathNotFoundError', `The requested path does not exist: no application with id '${appId}'`);
    return;
  }
  if (!ctx.registry.hasRole(check.claims.oid, resource.name, 'Reader')) {
    req.resume();
    apiError(res, log, 403, 'InsufficientAccessError', `The provided credentials have insufficient access to perform the requested operation: identity (oid ${check.claims.oid}) lacks the Reader role on Application Insights resource '${resource.name}'.`);
    return;
  }
  let query = url.searchParams.get('query') ?? undefined;
  let timespan = url.searchParams.get('timespan') ?? undefined;
  if (req.method === 'POST') {
    const text = await readSmallBody(req);
    if (text === undefined) {
      apiError(res, log, 413, 'RequestEntityTooLarge', 'The request body exceeds 1 MB');
      return;
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      apiError(res, log, 400, 'BadArgumentError', 'The request body is not valid JSON');
      return;
    }
    if (body !== null && typeof body === 'object') {
      const o = body as Record<string, unknown>;
      if (typeof o['query'] === 'string') query = o['query'];
      if (typeof o['timespan'] === 'string') timespan = o['timespan'];
    }
  }
  if (!query) {
    apiError(res, log, 400, 'BadArgumentError', "The request had some invalid properties: 'query' is required");
    return;
  }
  try {
    const nowMillis = ctx.now();
    const range = timespan ? parseTimespan(timespan, nowMillis) : undefined;
    const table = runQuery(ctx.store, resource.applicationId, query, range, nowMillis);
    log.status = 200;
    const includeRender = /include-render\s*=\s*true/i.test(String(req.headers['prefer'] ?? ''));
    await sendJsonChunks(res, 200, formatResultChunks(table, undefined, { includeRender }));
  } catch (e) {
    if (e instanceof QueryLimitError) {
      apiError(res, log, e.status, e.serviceCode, e.message, { code: e.limit, message: e.message });
      return;
    }
    if (!(e instanceof KqlError)) throw e;
    log.status = 400;
    sendJson(res, 400, kqlErrorBody(e));
  }
}
