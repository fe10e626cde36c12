import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { RoleName } from '../config/emulator-config';
import type { LiveMetricsControl } from '../live-metrics/create-live-metrics-service';
import type { QueryResponse } from '../query/format-result';
import type { LoggedRequest, RequestLog } from '../server/create-request-log';
import { isLoopbackAddress } from '../server/handle-admin-chaos';
import { readSmallBody, requestUrl, sendJson } from '../server/http-io';
import type { Store } from '../storage/store';
import { isTableName, TABLE_NAMES, TABLE_SCHEMAS, type TableName } from '../storage/table-schemas';
import { buildTransaction } from './build-transaction';
import { checkInspectorAccess, INSPECTOR_SECRET_HEADER, type InspectorAccessPolicy } from './check-inspector-access';
import { describeRequest, type DescribeLookup, type RequestView } from './describe-request';
import { readTelemetryPage } from './read-telemetry-page';
import { INSPECTOR_SECURITY_HEADERS, serveInspectorAsset } from './serve-inspector-asset';

/** Path the inspector is served under. */
export const INSPECTOR_PATH = '/inspector/';

const ROLES: readonly RoleName[] = ['Monitoring Metrics Publisher', 'Reader'];
/** Requests replayed to a page that (re)connects to the event stream. */
const REPLAYED_REQUESTS = 500;
const HEARTBEAT_MILLIS = 15_000;
const MAX_LIVE_POSTS = 120;

/** What the inspector reads and changes: the emulator's own registry, store, request log and Live Metrics. */
export interface InspectorContext {
  /** The live registry (its role look-ups are not traced). */
  readonly registry: Registry;
  readonly store: Store;
  readonly log: RequestLog;
  readonly live: LiveMetricsControl;
  /** Runs a query as the query API would (with the `render` hint when the API returns one). */
  readonly query: (kql: string, resourceName: string, timespan: string | undefined) => QueryResponse;
  /** Access policy; known once the server listens. */
  readonly policy: () => InspectorAccessPolicy;
  /** Directory of the bundled page. */
  readonly assetsDir: string;
}

/** The inspector: routes `/inspector/...` of the emulator's http server. */
export interface Inspector {
  /** Answers an inspector request (true), or declines one for another path (false). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  /** Ends open event streams. */
  close(): void;
}

type JsonBody = Record<string, unknown>;

class BadRequest extends Error {
  readonly code = 'EMU_INSPECTOR_BAD_REQUEST';
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body, { ...INSPECTOR_SECURITY_HEADERS });
}

async function readJson(req: IncomingMessage): Promise<JsonBody> {
  const text = await readSmallBody(req, 256 * 1024);
  if (text === undefined) throw new BadRequest('the body is over 256 KB');
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonBody;
  } catch {
    // fall through
  }
  throw new BadRequest('the body must be a JSON object');
}

function stringField(body: JsonBody, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new BadRequest(`"${name}" must be a non-empty string`);
  return v;
}

/** Creates the inspector over an emulator's registry, store, request log and Live Metrics. */
export function createInspector(ctx: InspectorContext): Inspector {
  const ids = new WeakMap<LoggedRequest, number>();
  let nextId = 1;
  const idOf = (e: LoggedRequest): number => {
    let id = ids.get(e);
    if (id === undefined) ids.set(e, (id = nextId++));
    return id;
  };
  const lookup: DescribeLookup = {
    identityByObjectId: (oid) => ctx.registry.identities().find((i) => i.objectId === oid.toLowerCase()),
    rolesHeld: (oid, resource) => ROLES.filter((r) => ctx.registry.hasRole(oid, resource, r)),
    resources: () => ctx.registry.resources(),
  };
  const view = (e: LoggedRequest): RequestView => describeRequest(idOf(e), e, lookup);
  const streams = new Set<ServerResponse>();

  const appIdOf = (resource: string | null): string => ctx.registry.resource(resource ?? ctx.registry.resources()[0]?.name ?? '').applicationId;
  const tableOf = (name: string | null): TableName => {
    if (name === null || !isTableName(name)) throw new BadRequest(`"table" must be one of ${TABLE_NAMES.join(', ')}`);
    return name;
  };

  const openEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...INSPECTOR_SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    const write = (e: LoggedRequest): void => {
      if (e.status === 0 && !e.chaos) return; // not answered yet: sent when it finishes
      res.write(`event: request\ndata: ${JSON.stringify(view(e))}\n\n`);
    };
    for (const e of ctx.log.entries().slice(-REPLAYED_REQUESTS)) write(e);
    const stop = ctx.log.onFinished(write);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MILLIS);
    heartbeat.unref();
    streams.add(res);
    const end = (): void => {
      stop();
      clearInterval(heartbeat);
      streams.delete(res);
    };
    req.once('close', end);
    res.once('close', end);
  };

  const identities = (): unknown => ({
    tenantId: ctx.registry.tenantId,
    resources: ctx.registry.resources().map((r) => ({ name: r.name, applicationId: r.applicationId, instrumentationKey: r.instrumentationKey, disableLocalAuth: r.disableLocalAuth })),
    identities: ctx.registry.identities().map((i) => ({
      name: i.name,
      kind: i.kind,
      clientId: i.clientId,
      objectId: i.objectId,
      ...(i.systemAssigned ? { systemAssigned: true } : {}),
      roles: Object.fromEntries(ctx.registry.resources().map((r) => [r.name, ROLES.filter((role) => ctx.registry.hasRole(i.objectId, r.name, role))])),
    })),
    roles: ROLES,
  });

  const api = async (req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<void> => {
    const q = url.searchParams;
    const key = `${req.method ?? ''} ${route}`;
    switch (key) {
      case 'GET events':
        openEvents(req, res);
        return;
      case 'GET requests':
        send(res, 200, ctx.log.entries().filter((e) => e.status !== 0 || e.chaos).map(view));
        return;
      case 'GET identities':
        send(res, 200, identities());
        return;
      case 'POST roles': {
        const body = await readJson(req);
        const role = stringField(body, 'role');
        if (!ROLES.includes(role as RoleName)) throw new BadRequest(`"role" must be one of ${ROLES.join(', ')}`);
        if (typeof body['granted'] !== 'boolean') throw new BadRequest('"granted" must be true or false');
        const change = body['granted'] ? ctx.registry.assignRole : ctx.registry.removeRole;
        change(stringField(body, 'identity'), stringField(body, 'resource'), role as RoleName);
        send(res, 200, identities());
        return;
      }
      case 'GET tables': {
        const appId = appIdOf(q.get('resource'));
        send(res, 200, TABLE_NAMES.map((t) => ({ name: t, count: ctx.store.count(t, { appId }), columns: TABLE_SCHEMAS[t] })));
        return;
      }
      case 'GET items': {
        const table = tableOf(q.get('table'));
        const page = readTelemetryPage(ctx.store, table, appIdOf(q.get('resource')), { filter: q.get('filter') ?? '', offset: Number(q.get('offset') ?? 0) || 0, limit: Number(q.get('limit') ?? 100) || 100 });
        send(res, 200, { table, columns: TABLE_SCHEMAS[table], ...page });
        return;
      }
      case 'GET transaction': {
        const operationId = q.get('operationId') ?? '';
        if (operationId === '') throw new BadRequest('"operationId" is required');
        const appId = appIdOf(q.get('resource'));
        const rowsByTable = new Map(TABLE_NAMES.map((t) => [t, ctx.store.read(t, { appId, operationId })] as const));
        send(res, 200, buildTransaction(operationId, rowsByTable));
        return;
      }
      case 'POST query': {
        const body = await readJson(req);
        const timespan = typeof body['timespan'] === 'string' && body['timespan'] !== '' ? body['timespan'] : undefined;
        const resource = typeof body['resource'] === 'string' ? body['resource'] : ctx.registry.resources()[0]?.name ?? '';
        try {
          send(res, 200, ctx.query(stringField(body, 'query'), resource, timespan));
        } catch (e) {
          const err = e as { code?: unknown; message?: unknown };
          send(res, 400, { error: { code: typeof err.code === 'string' ? err.code : 'BadArgumentError', message: typeof err.message === 'string' ? err.message : String(e) } });
        }
        return;
      }
      case 'GET live': {
        const since = Number(q.get('since') ?? 0) || 0;
        const resourceName = q.get('resource') ?? ctx.registry.resources()[0]?.name;
        const ikey = resourceName ? ctx.registry.resource(resourceName).instrumentationKey : '';
        const posts = ctx.live.received('post').filter((p) => p.timestamp > since && p.instrumentationKey.toLowerCase() === ikey).slice(-MAX_LIVE_POSTS);
        // The filter configuration editor needs an emulator that serves one (its admin endpoint).
        send(res, 200, { subscribed: ctx.live.isSubscribed(resourceName), configurable: 'configuration' in ctx.live, posts });
        return;
      }
      case 'POST live': {
        const body = await readJson(req);
        const resource = stringField(body, 'resource');
        if (body['subscribed'] === true) ctx.live.subscribe(resource);
        else ctx.live.unsubscribe(resource);
        send(res, 200, { subscribed: ctx.live.isSubscribed(resource) });
        return;
      }
      default:
        req.resume();
        send(res, 404, { error: { code: 'PathNotFoundError', message: `the inspector has no endpoint ${key}` } });
    }
  };

  return {
    async handle(req, res, pathname) {
      if (pathname !== '/inspector' && !pathname.startsWith(INSPECTOR_PATH)) return false;
      const refusal = checkInspectorAccess({
        method: req.method ?? '',
        host: req.headers.host,
        origin: req.headers.origin,
        secret: typeof req.headers[INSPECTOR_SECRET_HEADER] === 'string' ? req.headers[INSPECTOR_SECRET_HEADER] : undefined,
        remoteLoopback: isLoopbackAddress(req.socket.remoteAddress),
      }, ctx.policy());
      if (refusal) {
        req.resume();
        send(res, refusal.status, { error: { code: 'InspectorAccessDenied', message: refusal.message } });
        return true;
      }
      if (pathname === '/inspector') {
        req.resume();
        res.writeHead(308, { location: INSPECTOR_PATH, 'content-length': 0 });
        res.end();
        return true;
      }
      const rest = pathname.slice(INSPECTOR_PATH.length);
      try {
        if (rest.startsWith('api/')) {
          await api(req, res, rest.slice(4), requestUrl(req));
          return true;
        }
        req.resume();
        if (req.method === 'GET' && serveInspectorAsset(res, ctx.assetsDir, rest === '' ? 'index.html' : rest)) return true;
        if (rest === '') {
          send(res, 503, { error: { code: 'InspectorNotBuilt', message: `the inspector page is not built (no ${ctx.assetsDir}/index.html): run npm run build` } });
          return true;
        }
        send(res, 404, { error: { code: 'PathNotFoundError', message: `the inspector has no file ${rest}` } });
      } catch (e) {
        const known = e instanceof BadRequest || (e as { code?: unknown }).code === 'EMU_UNKNOWN_RESOURCE' || (e as { code?: unknown }).code === 'EMU_UNKNOWN_IDENTITY';
        send(res, known ? 400 : 500, { error: { code: known ? 'BadArgumentError' : 'InternalError', message: e instanceof Error ? e.message : String(e) } });
      }
      return true;
    },
    close() {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
