import type { IncomingMessage, ServerResponse } from 'node:http';
import { INGESTION_AUDIENCES } from '../auth/audiences';
import type { TokenSigner } from '../auth/create-token-signer';
import { bearerChallenge, verifyBearer } from '../auth/verify-bearer';
import type { Registry } from '../config/create-registry';
import type { ResourceConfig } from '../config/emulator-config';
import { AUTH_NOT_SUPPORTED_MESSAGE } from '../ingestion/handle-track';
import type { LoggedRequest } from '../server/create-request-log';
import { isLoopbackAddress } from '../server/handle-admin-chaos';
import { readSmallBody, sendJson } from '../server/http-io';

/** Live Metrics (QuickPulse) paths: `POST /QuickPulseService.svc/ping` and `/post`. */
const QUICK_PULSE = /^\/+QuickPulseService\.svc\/(ping|post)\/?$/i;
const ADMIN_PATH = '/admin/live-metrics';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDS = 10_000;

/** One metric of a received data point. */
export interface LiveMetricPoint {
  readonly Name: string;
  readonly Value: number;
  readonly Weight: number;
}

/** A received data point (the fields the emulator reads; everything else is kept as sent). */
export interface LiveDataPoint {
  readonly Instance?: string;
  readonly MachineName?: string;
  readonly RoleName?: string;
  readonly StreamId?: string;
  readonly Timestamp?: string;
  readonly Metrics?: readonly LiveMetricPoint[];
  readonly Documents?: readonly Record<string, unknown>[];
  readonly [field: string]: unknown;
}

/** One ping or post the emulator received. */
export interface LiveMetricsRecord {
  /** Arrival, epoch ms. */
  readonly timestamp: number;
  readonly operation: 'ping' | 'post';
  /** The `ikey` query parameter. */
  readonly instrumentationKey: string;
  /** What the emulator answered. */
  readonly status: number;
  /** The `x-ms-qps-subscribed` value answered (on 200). */
  readonly subscribed: boolean;
  /** Object id of the token's identity, when a valid token was sent. */
  readonly objectId?: string;
  readonly streamId?: string;
  /** `x-ms-qps-transmission-time` as sent. */
  readonly transmissionTime?: string;
  /** The body's data points (one for a ping; the array of a post). */
  readonly dataPoints: readonly LiveDataPoint[];
}

/** Controls of the emulator's Live Metrics endpoint, for tests and the demo. */
export interface LiveMetricsControl {
  /** Someone "opens the Live Metrics page" of a resource (default: the first): answers say subscribed. */
  subscribe(resourceName?: string): void;
  /** The watcher leaves: answers say not subscribed. */
  unsubscribe(resourceName?: string): void;
  isSubscribed(resourceName?: string): boolean;
  /** Sends `x-ms-qps-service-polling-interval-hint` (ms) with every answer; `undefined` stops. */
  setPollingIntervalHint(millis: number | undefined): void;
  /** Sends `x-ms-qps-service-endpoint-redirect-v2` with every answer; `undefined` stops. */
  redirectTo(url: string | undefined): void;
  /** Pings and posts received (optionally of one kind), oldest first. */
  received(operation?: 'ping' | 'post'): readonly LiveMetricsRecord[];
  /** Forgets what was received. */
  clear(): void;
}

/** What the service needs from the emulator. */
export interface LiveMetricsContext {
  readonly registry: Registry;
  readonly signer: TokenSigner;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: () => string;
  readonly now: () => number;
}

/** The Live Metrics endpoint: control surface plus the router hook for the http server. */
export interface LiveMetricsService {
  readonly control: LiveMetricsControl;
  /** Handles the request when it is a Live Metrics or its admin path; `false` leaves it to others. */
  route(req: IncomingMessage, res: ServerResponse, pathname: string, entry: LoggedRequest): Promise<boolean>;
}

type Verdict = { ok: true; objectId?: string } | { ok: false; status: number; message: string; headers?: Record<string, string> };

/**
 * Creates the emulator's Live Metrics endpoint. It enforces Microsoft Entra ID like ingestion:
 * on a resource with local authentication disabled, no token -> 400 (authentication not
 * supported), a bad token (signature, tenant, audience, expiry) -> 401 with a `WWW-Authenticate`
 * challenge, an identity without Monitoring Metrics Publisher -> 403. Accepted requests are
 * recorded and answered 200 with `x-ms-qps-subscribed` (see {@link LiveMetricsControl.subscribe}).
 */
export function createLiveMetricsService(ctx: LiveMetricsContext): LiveMetricsService {
  const subscribed = new Set<string>();
  const records: LiveMetricsRecord[] = [];
  let pollingHintMillis: number | undefined;
  let redirect: string | undefined;

  const resourceOf = (name?: string): ResourceConfig => {
    if (name !== undefined) return ctx.registry.resource(name);
    const first = ctx.registry.resources()[0];
    if (!first) throw new Error('the emulator has no resources');
    return first;
  };

  function authorize(req: IncomingMessage, resource: ResourceConfig): Verdict {
    const header = req.headers.authorization;
    if (header === undefined) {
      return resource.disableLocalAuth ? { ok: false, status: 400, message: AUTH_NOT_SUPPORTED_MESSAGE } : { ok: true };
    }
    const check = verifyBearer(header, { signer: ctx.signer, tenantId: ctx.registry.tenantId, audiences: INGESTION_AUDIENCES, nowSeconds: Math.floor(ctx.now() / 1000) });
    if (!check.ok) {
      return {
        ok: false, status: 401, message: `Unauthorized - please provide the valid authorization token: ${check.description}`,
        headers: { 'www-authenticate': bearerChallenge(`${ctx.authorityHost()}/${ctx.registry.tenantId}`, check.description, !check.missing) },
      };
    }
    if (!ctx.registry.hasRole(check.claims.oid, resource.name, 'Monitoring Metrics Publisher')) {
      return {
        ok: false, status: 403,
        message: `Forbidden - identity (oid ${check.claims.oid}, appid ${check.claims.appid}) lacks the Monitoring Metrics Publisher role on Application Insights resource '${resource.name}'.`,
      };
    }
    return { ok: true, objectId: check.claims.oid };
  }

  function record(entry: LiveMetricsRecord): void {
    records.push(entry);
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
  }

  async function handleQuickPulse(req: IncomingMessage, res: ServerResponse, operation: 'ping' | 'post', entry: LoggedRequest): Promise<void> {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      sendJson(res, status, body, headers);
    };
    if (req.method !== 'POST') {
      req.resume();
      answer(405, { message: 'use POST' });
      return;
    }
    const text = await readSmallBody(req, MAX_BODY_BYTES);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ikey = url.searchParams.get('ikey') ?? '';
    const resource = ctx.registry.resourceByIkey(ikey);
    if (!resource) {
      answer(400, { message: `Invalid instrumentation key '${ikey.slice(0, 8)}...': no such Application Insights resource` });
      return;
    }
    const verdict = authorize(req, resource);
    const base = {
      timestamp: ctx.now(), operation, instrumentationKey: resource.instrumentationKey,
      ...(typeof req.headers['x-ms-qps-stream-id'] === 'string' ? { streamId: req.headers['x-ms-qps-stream-id'] } : {}),
      ...(typeof req.headers['x-ms-qps-transmission-time'] === 'string' ? { transmissionTime: req.headers['x-ms-qps-transmission-time'] } : {}),
    };
    if (!verdict.ok) {
      record({ ...base, status: verdict.status, subscribed: false, dataPoints: [] });
      answer(verdict.status, { message: verdict.message }, verdict.headers);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text ?? '');
    } catch {
      answer(400, { message: text === undefined ? 'the body is larger than 1 MB' : 'the body must be a JSON MonitoringDataPoint (ping) or an array of them (post)' });
      return;
    }
    const points = (Array.isArray(parsed) ? parsed : [parsed]).filter((p): p is LiveDataPoint => typeof p === 'object' && p !== null);
    const isSubscribed = subscribed.has(resource.name);
    record({ ...base, status: 200, subscribed: isSubscribed, ...(verdict.objectId !== undefined ? { objectId: verdict.objectId } : {}), dataPoints: points });
    answer(200, { ETag: '', Metrics: [], DocumentStreams: [], QuotaInfo: null }, {
      'x-ms-qps-subscribed': String(isSubscribed),
      'x-ms-qps-configuration-etag': '',
      ...(pollingHintMillis !== undefined ? { 'x-ms-qps-service-polling-interval-hint': String(pollingHintMillis) } : {}),
      ...(redirect !== undefined ? { 'x-ms-qps-service-endpoint-redirect-v2': redirect } : {}),
    });
  }

  /** `GET` lists what was received; `POST {subscribed, resource?}` (un)subscribes; `DELETE` clears. Loopback only. */
  async function handleAdmin(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest): Promise<void> {
    const answer = (status: number, body: unknown): void => { entry.status = status; sendJson(res, status, body); };
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      req.resume();
      answer(403, { error: 'the admin endpoint answers loopback clients only' });
      return;
    }
    if (req.method === 'GET') { req.resume(); answer(200, { received: records }); return; }
    if (req.method === 'DELETE') { req.resume(); records.length = 0; answer(200, { received: [] }); return; }
    if (req.method !== 'POST') { req.resume(); answer(405, { error: 'use GET, POST or DELETE' }); return; }
    let body: { subscribed?: unknown; resource?: unknown };
    try {
      body = JSON.parse((await readSmallBody(req, 64 * 1024)) ?? '') as typeof body;
    } catch {
      answer(400, { error: 'the body must be JSON: {"subscribed": true, "resource": "<name>"}' });
      return;
    }
    if (typeof body.subscribed !== 'boolean' || (body.resource !== undefined && typeof body.resource !== 'string')) {
      answer(400, { error: '"subscribed" must be true or false and "resource" (optional) a resource name' });
      return;
    }
    try {
      if (body.subscribed) control.subscribe(body.resource as string | undefined);
      else control.unsubscribe(body.resource as string | undefined);
    } catch (e) {
      answer(404, { error: e instanceof Error ? e.message : 'unknown resource' });
      return;
    }
    answer(200, { subscribed: body.subscribed });
  }

  const control: LiveMetricsControl = {
    subscribe: (name) => { subscribed.add(resourceOf(name).name); },
    unsubscribe: (name) => { subscribed.delete(resourceOf(name).name); },
    isSubscribed: (name) => subscribed.has(resourceOf(name).name),
    setPollingIntervalHint: (millis) => { pollingHintMillis = millis; },
    redirectTo: (url) => { redirect = url; },
    received: (operation) => (operation === undefined ? [...records] : records.filter((r) => r.operation === operation)),
    clear: () => { records.length = 0; },
  };

  return {
    control,
    async route(req, res, pathname, entry) {
      const match = QUICK_PULSE.exec(pathname);
      if (match) {
        await handleQuickPulse(req, res, (match[1] as string).toLowerCase() as 'ping' | 'post', entry);
        return true;
      }
      if (pathname === ADMIN_PATH) {
        await handleAdmin(req, res, entry);
        return true;
      }
      return false;
    },
  };
}
