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
import { EmulatorError } from '../errors';
import type { LiveCollectionConfiguration, LiveMetricsRecord } from './live-metrics-types';
import { EMPTY_CONFIGURATION, etagOf, parseQuickPulseBody, QUICK_PULSE_API, serviceError } from './parse-quick-pulse-body';
import { liveMetricsApiVersions, validateAgainstLiveMetricsSpec } from './validate-against-live-metrics-spec';

export type { LiveCollectionConfiguration, LiveDataPoint, LiveFilterInfo, LiveMetricPoint, LiveMetricsRecord } from './live-metrics-types';

/** Live Metrics (QuickPulse) paths: `POST /QuickPulseService.svc/ping` and `/post`. */
const QUICK_PULSE = /^\/+QuickPulseService\.svc\/(ping|post)\/?$/i;
const ADMIN_PATH = '/admin/live-metrics';
const ADMIN_CONFIGURATION_PATH = '/admin/live-metrics/configuration';
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_RECORDS = 10_000;

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
  /**
   * Serves this filter configuration (derived metrics, document streams) to the resource's SDKs,
   * with its `ETag` in `x-ms-qps-configuration-etag`; `undefined` goes back to the empty one.
   * Returns the ETag (computed from the content when `ETag` is left out).
   *
   * @throws EmulatorError (`EMU_CONFIG`) when it does not match the spec's `CollectionConfigurationInfo`.
   */
  setConfiguration(configuration: LiveCollectionConfiguration | undefined, resourceName?: string): string;
  /** The configuration served to a resource (default: the first). */
  configuration(resourceName?: string): LiveCollectionConfiguration;
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
  const configurations = new Map<string, LiveCollectionConfiguration>();
  const configurationOf = (name: string): LiveCollectionConfiguration => configurations.get(name) ?? EMPTY_CONFIGURATION;
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
    const apiVersion = url.searchParams.get('api-version');
    if (apiVersion === null || !liveMetricsApiVersions().includes(apiVersion)) {
      answer(400, serviceError('InvalidApiVersion', apiVersion === null
        ? `the api-version query parameter is required: use ${liveMetricsApiVersions().join(', ')}`
        : `unsupported api-version '${apiVersion.slice(0, 32)}': use ${liveMetricsApiVersions().join(', ')}`));
      return;
    }
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
      ...(typeof req.headers['x-ms-qps-configuration-etag'] === 'string' ? { configurationEtag: req.headers['x-ms-qps-configuration-etag'] } : {}),
    };
    if (!verdict.ok) {
      record({ ...base, status: verdict.status, subscribed: false, dataPoints: [] });
      answer(verdict.status, { message: verdict.message }, verdict.headers);
      return;
    }
    const body = parseQuickPulseBody(operation, text);
    if (!body.ok) {
      record({ ...base, status: 400, subscribed: false, dataPoints: [], problems: body.problems });
      answer(400, serviceError('InvalidBody', `the ${operation} body does not match the Live Metrics ${QUICK_PULSE_API}: ${body.problems.join('; ')}`));
      return;
    }
    const isSubscribed = subscribed.has(resource.name);
    record({ ...base, status: 200, subscribed: isSubscribed, ...(verdict.objectId !== undefined ? { objectId: verdict.objectId } : {}), dataPoints: body.points });
    const configuration = configurationOf(resource.name);
    answer(200, configuration, {
      'x-ms-qps-subscribed': String(isSubscribed),
      'x-ms-qps-configuration-etag': configuration.ETag ?? '',
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

  /**
   * `GET` answers the configuration served, `PUT` (a `CollectionConfigurationInfo`, `ETag` optional)
   * replaces it, `DELETE` goes back to the empty one; `?resource=<name>` (default: the first). Loopback only.
   */
  async function handleAdminConfiguration(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest): Promise<void> {
    const answer = (status: number, body: unknown): void => { entry.status = status; sendJson(res, status, body); };
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      req.resume();
      answer(403, { error: 'the admin endpoint answers loopback clients only' });
      return;
    }
    const name = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resource') ?? undefined;
    try {
      if (req.method === 'GET') { req.resume(); answer(200, control.configuration(name)); return; }
      if (req.method === 'DELETE') { req.resume(); control.setConfiguration(undefined, name); answer(200, control.configuration(name)); return; }
      if (req.method !== 'PUT') { req.resume(); answer(405, { error: 'use GET, PUT or DELETE' }); return; }
      let body: unknown;
      try {
        body = JSON.parse((await readSmallBody(req, MAX_BODY_BYTES)) ?? '');
      } catch {
        answer(400, { error: 'the body must be a JSON CollectionConfigurationInfo: {"Metrics": [...], "DocumentStreams": [...]}' });
        return;
      }
      const etag = control.setConfiguration(body as LiveCollectionConfiguration, name);
      answer(200, { ETag: etag });
    } catch (e) {
      const status = e instanceof EmulatorError && e.code === 'EMU_CONFIG' ? 400 : 404;
      answer(status, { error: e instanceof Error ? e.message : 'unknown resource' });
    }
  }

  const control: LiveMetricsControl = {
    subscribe: (name) => { subscribed.add(resourceOf(name).name); },
    unsubscribe: (name) => { subscribed.delete(resourceOf(name).name); },
    isSubscribed: (name) => subscribed.has(resourceOf(name).name),
    setPollingIntervalHint: (millis) => { pollingHintMillis = millis; },
    redirectTo: (url) => { redirect = url; },
    setConfiguration(configuration, name) {
      const resource = resourceOf(name);
      if (configuration === undefined) {
        configurations.delete(resource.name);
        return '';
      }
      const withEtag = { ...configuration, ETag: configuration.ETag ?? etagOf(configuration) };
      const problems = validateAgainstLiveMetricsSpec(withEtag, 'CollectionConfigurationInfo', '$configuration');
      if (problems.length > 0) throw new EmulatorError('EMU_CONFIG', `the Live Metrics configuration does not match the spec's CollectionConfigurationInfo: ${problems.join('; ')}`);
      configurations.set(resource.name, withEtag);
      return withEtag.ETag;
    },
    configuration: (name) => configurationOf(resourceOf(name).name),
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
      if (pathname === ADMIN_CONFIGURATION_PATH) {
        await handleAdminConfiguration(req, res, entry);
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
