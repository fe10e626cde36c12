import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorError } from '../errors';
import type { LoggedRequest } from '../server/create-request-log';
import { isLoopbackAddress } from '../server/handle-admin-chaos';
import { readSmallBody, sendJson } from '../server/http-io';
import type { LiveMetricsControl } from './create-live-metrics-service';
import { MAX_QUICK_PULSE_BODY_BYTES } from './handle-quick-pulse';
import type { LiveCollectionConfiguration } from './live-metrics-types';

type Answer = (status: number, body: unknown) => void;

/** An answer that logs its status; `undefined` (after a 403) when the caller is not on loopback. */
function loopbackAnswer(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest): Answer | undefined {
  const answer: Answer = (status, body) => { entry.status = status; sendJson(res, status, body); };
  if (isLoopbackAddress(req.socket.remoteAddress)) return answer;
  req.resume();
  answer(403, { error: 'the admin endpoint answers loopback clients only' });
  return undefined;
}

/** Reads `{subscribed, resource?}`, or answers 400 and returns `undefined`. */
async function readSubscription(req: IncomingMessage, answer: Answer): Promise<{ subscribed: boolean; resource?: string } | undefined> {
  let body: { subscribed?: unknown; resource?: unknown };
  try {
    body = JSON.parse((await readSmallBody(req, 64 * 1024)) ?? '') as typeof body;
  } catch {
    answer(400, { error: 'the body must be JSON: {"subscribed": true, "resource": "<name>"}' });
    return undefined;
  }
  if (typeof body.subscribed !== 'boolean' || (body.resource !== undefined && typeof body.resource !== 'string')) {
    answer(400, { error: '"subscribed" must be true or false and "resource" (optional) a resource name' });
    return undefined;
  }
  return { subscribed: body.subscribed, ...(body.resource !== undefined ? { resource: body.resource as string } : {}) };
}

/** `/admin/live-metrics`: `GET` lists what was received; `POST {subscribed, resource?}` (un)subscribes; `DELETE` clears. Loopback only. */
export async function handleLiveMetricsAdmin(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest, control: LiveMetricsControl): Promise<void> {
  const answer = loopbackAnswer(req, res, entry);
  if (!answer) return;
  if (req.method === 'GET') { req.resume(); answer(200, { received: control.received() }); return; }
  if (req.method === 'DELETE') { req.resume(); control.clear(); answer(200, { received: [] }); return; }
  if (req.method !== 'POST') { req.resume(); answer(405, { error: 'use GET, POST or DELETE' }); return; }
  const body = await readSubscription(req, answer);
  if (!body) return;
  try {
    if (body.subscribed) control.subscribe(body.resource);
    else control.unsubscribe(body.resource);
  } catch (e) {
    answer(404, { error: e instanceof Error ? e.message : 'unknown resource' });
    return;
  }
  answer(200, { subscribed: body.subscribed });
}

/**
 * `/admin/live-metrics/configuration`: `GET` answers the configuration served, `PUT` (a
 * `CollectionConfigurationInfo`, `ETag` optional) replaces it, `DELETE` goes back to the empty one;
 * `?resource=<name>` (default: the first). Loopback only.
 */
export async function handleLiveMetricsConfigurationAdmin(req: IncomingMessage, res: ServerResponse, entry: LoggedRequest, control: LiveMetricsControl): Promise<void> {
  const answer = loopbackAnswer(req, res, entry);
  if (!answer) return;
  const name = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('resource') ?? undefined;
  try {
    if (req.method === 'GET') { req.resume(); answer(200, control.configuration(name)); return; }
    if (req.method === 'DELETE') { req.resume(); control.setConfiguration(undefined, name); answer(200, control.configuration(name)); return; }
    if (req.method !== 'PUT') { req.resume(); answer(405, { error: 'use GET, PUT or DELETE' }); return; }
    let body: unknown;
    try {
      body = JSON.parse((await readSmallBody(req, MAX_QUICK_PULSE_BODY_BYTES)) ?? '');
    } catch {
      answer(400, { error: 'the body must be a JSON CollectionConfigurationInfo: {"Metrics": [...], "DocumentStreams": [...]}' });
      return;
    }
    answer(200, { ETag: control.setConfiguration(body as LiveCollectionConfiguration, name) });
  } catch (e) {
    const status = e instanceof EmulatorError && e.code === 'EMU_CONFIG' ? 400 : 404;
    answer(status, { error: e instanceof Error ? e.message : 'unknown resource' });
  }
}
