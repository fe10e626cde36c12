import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { LiveMetricsControl } from '../live-metrics/create-live-metrics-service';
import type { QueryResponse } from '../query/format-result';
import type { RequestLog } from '../server/create-request-log';
import { isLoopbackAddress } from '../server/handle-admin-chaos';
import { requestUrl } from '../server/http-io';
import type { Store } from '../storage/store';
import { checkInspectorAccess, INSPECTOR_SECRET_HEADER, type InspectorAccessPolicy } from './check-inspector-access';
import { identityRoutes } from './identity-routes';
import { InspectorBadRequest, readJsonBody, sendInspectorJson, stringField, type InspectorRoutes } from './inspector-io';
import { resourceOrDefault } from './inspector-resource';
import { liveRoutes } from './live-routes';
import { createRequestFeed } from './request-feed';
import { serveInspectorAsset } from './serve-inspector-asset';
import { telemetryRoutes } from './telemetry-routes';

/** Path the inspector is served under. */
export const INSPECTOR_PATH = '/inspector/';

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

/** `POST query` (`{ query, resource?, timespan? }`): runs KQL as the query API would; its errors answer 400. */
function queryRoutes(ctx: InspectorContext): InspectorRoutes {
  return {
    'POST query': async (req, res) => {
      const body = await readJsonBody(req);
      const timespan = typeof body['timespan'] === 'string' && body['timespan'] !== '' ? body['timespan'] : undefined;
      const resource = typeof body['resource'] === 'string' ? body['resource'] : resourceOrDefault(ctx.registry, undefined);
      try {
        sendInspectorJson(res, 200, ctx.query(stringField(body, 'query'), resource, timespan));
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        sendInspectorJson(res, 400, { error: { code: typeof err.code === 'string' ? err.code : 'BadArgumentError', message: typeof err.message === 'string' ? err.message : String(e) } });
      }
    },
  };
}

/** Answers a failed call: 400 for what the page got wrong (bad argument, unknown resource or identity), else 500. */
function sendFailure(res: ServerResponse, e: unknown): void {
  const code = (e as { code?: unknown }).code;
  const known = e instanceof InspectorBadRequest || code === 'EMU_UNKNOWN_RESOURCE' || code === 'EMU_UNKNOWN_IDENTITY';
  sendInspectorJson(res, known ? 400 : 500, { error: { code: known ? 'BadArgumentError' : 'InternalError', message: e instanceof Error ? e.message : String(e) } });
}

/** The access decision for a request (undefined: allowed), from its headers and the emulator's policy. */
function refusalOf(req: IncomingMessage, ctx: InspectorContext): { status: number; message: string } | undefined {
  return checkInspectorAccess({
    method: req.method ?? '',
    host: req.headers.host,
    origin: req.headers.origin,
    secret: typeof req.headers[INSPECTOR_SECRET_HEADER] === 'string' ? req.headers[INSPECTOR_SECRET_HEADER] : undefined,
    remoteLoopback: isLoopbackAddress(req.socket.remoteAddress),
  }, ctx.policy());
}

/** Serves a file of the bundled page, or says it is missing (503 when the page is not built at all). */
function serveAsset(req: IncomingMessage, res: ServerResponse, assetsDir: string, rest: string): void {
  req.resume();
  if (req.method === 'GET' && serveInspectorAsset(res, assetsDir, rest === '' ? 'index.html' : rest)) return;
  if (rest === '') {
    sendInspectorJson(res, 503, { error: { code: 'InspectorNotBuilt', message: `the inspector page is not built (no ${assetsDir}/index.html): run npm run build` } });
    return;
  }
  sendInspectorJson(res, 404, { error: { code: 'PathNotFoundError', message: `the inspector has no file ${rest}` } });
}

/** Creates the inspector over an emulator's registry, store, request log and Live Metrics. */
export function createInspector(ctx: InspectorContext): Inspector {
  const feed = createRequestFeed(ctx.log, ctx.registry);
  const routes: InspectorRoutes = {
    ...feed.routes, ...identityRoutes(ctx.registry), ...telemetryRoutes(ctx.store, ctx.registry), ...queryRoutes(ctx), ...liveRoutes(ctx.live, ctx.registry),
  };

  const api = async (req: IncomingMessage, res: ServerResponse, route: string): Promise<void> => {
    const key = `${req.method ?? ''} ${route}`;
    const handler = Object.hasOwn(routes, key) ? routes[key] : undefined;
    if (handler !== undefined) return handler(req, res, requestUrl(req).searchParams);
    req.resume();
    sendInspectorJson(res, 404, { error: { code: 'PathNotFoundError', message: `the inspector has no endpoint ${key}` } });
  };

  return {
    async handle(req, res, pathname) {
      if (pathname !== '/inspector' && !pathname.startsWith(INSPECTOR_PATH)) return false;
      const refusal = refusalOf(req, ctx);
      if (refusal) {
        req.resume();
        sendInspectorJson(res, refusal.status, { error: { code: 'InspectorAccessDenied', message: refusal.message } });
      } else if (pathname === '/inspector') {
        req.resume();
        res.writeHead(308, { location: INSPECTOR_PATH, 'content-length': 0 });
        res.end();
      } else {
        const rest = pathname.slice(INSPECTOR_PATH.length);
        try {
          if (rest.startsWith('api/')) await api(req, res, rest.slice(4));
          else serveAsset(req, res, ctx.assetsDir, rest);
        } catch (e) {
          sendFailure(res, e);
        }
      }
      return true;
    },
    close: () => feed.close(),
  };
}
