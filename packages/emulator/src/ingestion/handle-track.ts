import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceConfig } from '../config/emulator-config';
import type { Store } from '../storage/store';
import type { Row } from '../storage/row';
import type { TableName } from '../storage/table-schemas';
import { envelopeToRows } from '../storage/envelope-to-rows';
import { sendJson } from '../server/http-io';
import type { LoggedRequest } from '../server/create-request-log';
import { readTrackBody, type BodyResult } from './read-track-body';
import { parseItems } from './parse-items';
import { validateEnvelope, type Envelope } from './validate-envelope';
import { formatViolation } from './format-violation';
import { AUTH_NOT_SUPPORTED_MESSAGE, authenticate, authorize, type Authentication, type TrackAuthContext } from './authorize-track';

export { AUTH_NOT_SUPPORTED_MESSAGE };

/** An error entry of an ingestion response. */
export interface TrackError {
  readonly index: number;
  readonly statusCode: number;
  readonly message: string;
}

/** The ingestion response body. */
export interface TrackResponse {
  readonly itemsReceived: number;
  readonly itemsAccepted: number;
  readonly errors: TrackError[];
  readonly appId?: string;
}

/** What the track handler needs. */
export interface TrackContext extends TrackAuthContext {
  readonly store: Store;
  readonly maxBodyBytes: number;
}

/** Most entries listed in `errors`: further refused items are counted (itemsReceived - itemsAccepted) but not listed. */
const MAX_LISTED_ERRORS = 1_000;

function respond(res: ServerResponse, log: LoggedRequest, status: number, body: TrackResponse | Record<string, unknown>, headers: Record<string, string> = {}): void {
  log.status = status;
  sendJson(res, status, body, headers);
}

/**
 * Handles `POST /v2/track` and `/v2.1/track`: authenticate, read, parse, validate, authorize, store,
 * answer like the service. `body` is a read already under way (a delayed chaos request reads its body
 * while it waits, so a client that gives up meanwhile still gets its items stored, as the service would).
 */
export async function handleTrack(req: IncomingMessage, res: ServerResponse, ctx: TrackContext, version: 'v2' | 'v2.1', log: LoggedRequest, body?: Promise<BodyResult>): Promise<void> {
  if (version === 'v2' && ctx.registry.resources().every((r) => r.disableLocalAuth)) {
    // Like the service: v2/track is refused before the body is looked at, whatever it holds.
    if (body === undefined) req.resume();
    respond(res, log, 400, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: AUTH_NOT_SUPPORTED_MESSAGE }] });
    return;
  }
  const who: Authentication = version === 'v2' ? { status: 'v2' } : authenticate(req, ctx);
  if (who.status === 'refused') {
    // Unauthenticated on an Entra-only resource: 401 whatever the body ([], malformed, oversized).
    if (body === undefined) req.resume();
    respond(res, log, who.refusal.status, who.refusal.body, who.refusal.headers);
    return;
  }
  answerTrack(res, ctx, who, log, await (body ?? readTrackBody(req, ctx.maxBodyBytes)));
}

/** Refuses a body that could not be read or split, unless an anonymous caller must first be told to authenticate. */
function refuseBody(res: ServerResponse, ctx: TrackContext, who: Authentication, log: LoggedRequest, status: number, message: string): void {
  const auth = authorize(ctx, who, [], 0);
  if (!auth.ok) respond(res, log, auth.status, auth.body, auth.headers);
  else respond(res, log, status, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: status, message }] });
}

function answerTrack(res: ServerResponse, ctx: TrackContext, who: Authentication, log: LoggedRequest, body: BodyResult): void {
  if (body.status !== 'ok') {
    refuseBody(res, ctx, who, log, body.status === 'too-large' ? 413 : 400, body.message);
    return;
  }
  const parsed = parseItems(body.text);
  if (!parsed.ok) {
    refuseBody(res, ctx, who, log, parsed.status, parsed.message);
    return;
  }
  const items = parsed.items;
  log.itemsReceived = items.length;
  const errors: TrackError[] = [];
  let refused = 0;
  const refuse = (index: number, message: string): void => {
    refused++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ index, statusCode: 400, message });
  };
  const nowMillis = ctx.now();
  const accepted: { envelope: Envelope; resource: ResourceConfig }[] = [];
  items.forEach((item, index) => {
    if (item.error !== undefined) {
      refuse(index, item.error);
      return;
    }
    const check = validateEnvelope(item.value, item.byteLength, nowMillis);
    if (!check.ok) {
      refuse(index, formatViolation(check.violation));
      return;
    }
    const iKey = check.envelope.iKey;
    const resource = typeof iKey === 'string' ? ctx.registry.resourceByIkey(iKey) : undefined;
    if (!resource) {
      refuse(index, formatViolation({ kind: 'invalid-ikey' }));
      return;
    }
    accepted.push({ envelope: check.envelope, resource });
  });
  const resources = [...new Set(accepted.map((a) => a.resource))];
  const auth = authorize(ctx, who, resources, items.length);
  if (!auth.ok) {
    respond(res, log, auth.status, auth.body, auth.headers);
    return;
  }
  const byTable = new Map<TableName, Row[]>();
  for (const { envelope, resource } of accepted) {
    for (const { table, row } of envelopeToRows(envelope, resource)) {
      let rows = byTable.get(table);
      if (!rows) byTable.set(table, (rows = []));
      rows.push(row);
    }
  }
  for (const [table, rows] of byTable) ctx.store.insert(table, rows);
  log.itemsAccepted = accepted.length;
  const status = refused === 0 ? 200 : accepted.length === 0 ? 400 : 206;
  respond(res, log, status, { itemsReceived: items.length, itemsAccepted: accepted.length, errors });
}
