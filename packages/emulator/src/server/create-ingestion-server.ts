import * as http from 'node:http';
import { runWithAuthTrace, type AuthTrace } from '../auth/auth-trace';
import type { Chaos, ChaosAction } from '../chaos/create-chaos';
import { handleTrack, type TrackContext } from '../ingestion/handle-track';
import { readTrackBody, type BodyResult } from '../ingestion/read-track-body';
import { handleMsiRequest, type MsiContext } from '../issuer/handle-msi-request';
import type { LiveMetricsService } from '../live-metrics/create-live-metrics-service';
import { handleQuery, type QueryContext } from '../query/handle-query';
import type { RequestLog, LoggedRequest } from './create-request-log';
import { delay } from './delay';
import { handleAdminChaos } from './handle-admin-chaos';
import { redactHeaders, requestUrl, sendJson } from './http-io';

/** Everything the loopback http server routes to. */
export interface IngestionServerContext {
  readonly track: TrackContext;
  readonly query: QueryContext;
  readonly msi: MsiContext;
  readonly chaos: Chaos;
  readonly log: RequestLog;
  /** Live Metrics (QuickPulse) ping/post and its admin path. */
  readonly live?: LiveMetricsService;
  /** The inspector page and its API: answers (true) before the request is logged, or declines. */
  readonly inspector?: (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => Promise<boolean>;
  /** Refuses an `/admin/...` request with a foreign Host or a cross-site Origin (status and message), or lets it through. */
  readonly guardAdmin?: (req: http.IncomingMessage) => { status: number; message: string } | undefined;
}

const TRACK = /^\/+(v2|v2\.1)\/track\/?$/;
const QUERY = /^\/+v1\/apps\/([^/]+)\/query\/?$/;

function redirectLocation(target: string, path: string): string {
  const u = new URL(target);
  return u.pathname === '/' && u.search === '' ? `${u.origin}/${path.replace(/^\/+/, '')}` : target;
}

/**
 * Applies a chaos action. Resolves `{ answered: true }` when chaos answered (or will never answer),
 * otherwise the body read that ran during a delay, for the normal handler to use.
 */
async function applyChaos(req: http.IncomingMessage, res: http.ServerResponse, action: ChaosAction, entry: LoggedRequest, closing: AbortSignal, maxBodyBytes: number): Promise<{ answered: true } | { answered: false; body?: Promise<BodyResult> }> {
  entry.chaos = true;
  if (action.hang) {
    req.resume();
    entry.status = 0;
    return { answered: true }; // never answered; the socket is destroyed on close()
  }
  let body: Promise<BodyResult> | undefined;
  if (action.delayMillis) {
    // Read while waiting: a client that gives up during the delay has still sent its items, and
    // the service would store them (that is the duplicate a client timeout can cause).
    body = readTrackBody(req, maxBodyBytes);
    await delay(action.delayMillis, closing);
  }
  if (closing.aborted) return { answered: true };
  if (action.redirectTo) {
    req.resume();
    const status = action.status === 308 ? 308 : action.status === 301 || action.status === 302 ? action.status : 307;
    entry.status = status;
    res.writeHead(status, { location: redirectLocation(action.redirectTo, req.url ?? '/'), 'content-length': 0, ...action.headers });
    res.end();
    return { answered: true };
  }
  if (action.status !== undefined) {
    req.resume();
    entry.status = action.status;
    sendJson(res, action.status, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: action.status, message: `emulator chaos: answering ${action.status}` }] }, { ...action.headers });
    return { answered: true };
  }
  if (action.headers && !res.destroyed) for (const [k, v] of Object.entries(action.headers)) res.setHeader(k, v);
  return body ? { answered: false, body } : { answered: false }; // delay only: handle normally
}

/** Answers JSON without reading the body, and logs the status. */
function answer(req: http.IncomingMessage, res: http.ServerResponse, entry: LoggedRequest, status: number, body: unknown): void {
  req.resume();
  entry.status = status;
  sendJson(res, status, body);
}

/** `POST /v2(.1)/track`, after any chaos action queued for it. */
async function routeTrack(req: http.IncomingMessage, res: http.ServerResponse, ctx: IngestionServerContext, entry: LoggedRequest, version: 'v2' | 'v2.1', closing: AbortSignal): Promise<void> {
  if (req.method !== 'POST') return answer(req, res, entry, 405, { error: 'use POST' });
  const action = ctx.chaos.take();
  const chaos = action ? await applyChaos(req, res, action, entry, closing, ctx.track.maxBodyBytes) : { answered: false as const };
  if (!chaos.answered) await handleTrack(req, res, ctx.track, version, entry, chaos.body);
}

/** `GET|POST /v1/apps/{appId}/query`; an app id that is not valid percent-encoding is a 404. */
async function routeQuery(req: http.IncomingMessage, res: http.ServerResponse, ctx: IngestionServerContext, entry: LoggedRequest, encodedAppId: string): Promise<void> {
  let appId: string;
  try {
    appId = decodeURIComponent(encodedAppId).toLowerCase();
  } catch {
    return answer(req, res, entry, 404, { error: { code: 'PathNotFoundError', message: 'The application id in the path is not valid percent-encoding' } });
  }
  await handleQuery(req, res, ctx.query, appId, entry);
}

/** Everything but ingestion and query: the admin guard, Live Metrics, the managed identity endpoint, chaos admin, `/`. */
async function routeOther(req: http.IncomingMessage, res: http.ServerResponse, ctx: IngestionServerContext, entry: LoggedRequest, pathname: string): Promise<void> {
  const refusal = pathname.startsWith('/admin/') ? ctx.guardAdmin?.(req) : undefined;
  if (refusal) return answer(req, res, entry, refusal.status, { error: refusal.message });
  if (ctx.live && (await ctx.live.route(req, res, pathname, entry))) return;
  if (pathname === '/msi/token') {
    req.resume();
    handleMsiRequest(req, res, ctx.msi);
    entry.status = res.statusCode;
    return;
  }
  if (pathname === '/admin/chaos') {
    entry.status = await handleAdminChaos(req, res, ctx.chaos);
    return;
  }
  if (pathname === '/' && req.method === 'GET') return answer(req, res, entry, 200, { name: 'appinsights-emulator', status: 'ok' });
  answer(req, res, entry, 404, { error: { code: 'PathNotFoundError', message: `The emulator has no endpoint ${req.method ?? ''} ${pathname}` } });
}

/** Creates the loopback http server: ingestion, query API, managed identity endpoint and admin. */
export function createIngestionServer(ctx: IngestionServerContext, closing: AbortSignal): http.Server {
  const route = async (req: http.IncomingMessage, res: http.ServerResponse, auth: AuthTrace): Promise<void> => {
    const url = requestUrl(req);
    if (ctx.inspector && (await ctx.inspector(req, res, url.pathname))) return;
    const entry = ctx.log.add({ timestamp: Date.now(), method: req.method ?? '', path: req.url ?? '/', headers: redactHeaders(req.headers), status: 0, auth });
    res.once('close', () => ctx.log.finish(entry));
    const track = TRACK.exec(url.pathname);
    if (track) return routeTrack(req, res, ctx, entry, track[1] as 'v2' | 'v2.1', closing);
    const query = QUERY.exec(url.pathname);
    if (query && (req.method === 'GET' || req.method === 'POST')) return routeQuery(req, res, ctx, entry, query[1] as string);
    return routeOther(req, res, ctx, entry, url.pathname);
  };
  return http.createServer((req, res) => {
    const auth: AuthTrace = { roleChecks: [] };
    runWithAuthTrace(auth, () => route(req, res, auth)).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: { code: 'InternalError', message: e instanceof Error ? e.message : 'internal error' } });
      req.resume();
    });
  });
}
