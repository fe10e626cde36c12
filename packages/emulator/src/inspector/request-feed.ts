import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { LoggedRequest, RequestLog } from '../server/create-request-log';
import { describeRequest, type DescribeLookup, type RequestView } from './describe-request';
import { INSPECTOR_ROLES } from './identity-routes';
import { sendInspectorJson, type InspectorRoutes } from './inspector-io';
import { INSPECTOR_SECURITY_HEADERS } from './serve-inspector-asset';

/** Requests replayed to a page that (re)connects to the event stream. */
const REPLAYED_REQUESTS = 500;
const HEARTBEAT_MILLIS = 15_000;

/** The Requests view's data: every answered request, as a list and as server-sent events. */
export interface RequestFeed {
  /** `GET requests` (the log so far) and `GET events` (the stream: the last 500, then each as answered). */
  readonly routes: InspectorRoutes;
  /** Ends open event streams. */
  close(): void;
}

/** Whether a logged request is shown: answered, or refused by chaos. */
const isShown = (e: LoggedRequest): boolean => e.status !== 0 || e.chaos === true;

/** Creates the request feed over the emulator's request log; each request keeps one id for the page. */
export function createRequestFeed(log: RequestLog, registry: Registry): RequestFeed {
  const ids = new WeakMap<LoggedRequest, number>();
  let nextId = 1;
  const idOf = (e: LoggedRequest): number => {
    let id = ids.get(e);
    if (id === undefined) ids.set(e, (id = nextId++));
    return id;
  };
  const lookup: DescribeLookup = {
    identityByObjectId: (oid) => registry.identities().find((i) => i.objectId === oid.toLowerCase()),
    rolesHeld: (oid, resource) => INSPECTOR_ROLES.filter((r) => registry.hasRole(oid, resource, r)),
    resources: () => registry.resources(),
  };
  const view = (e: LoggedRequest): RequestView => describeRequest(idOf(e), e, lookup);
  const streams = new Set<ServerResponse>();

  const openEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...INSPECTOR_SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    const write = (e: LoggedRequest): void => {
      if (isShown(e)) res.write(`event: request\ndata: ${JSON.stringify(view(e))}\n\n`); // not answered yet: sent when it finishes
    };
    for (const e of log.entries().slice(-REPLAYED_REQUESTS)) write(e);
    const stop = log.onFinished(write);
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

  return {
    routes: {
      'GET events': openEvents,
      'GET requests': (_req, res) => sendInspectorJson(res, 200, log.entries().filter(isShown).map(view)),
    },
    close() {
      for (const s of streams) s.end();
      streams.clear();
    },
  };
}
