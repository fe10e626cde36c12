import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { ResourceConfig } from '../config/emulator-config';
import type { TokenSigner } from '../auth/create-token-signer';
import { INGESTION_AUDIENCES } from '../auth/audiences';
import { bearerChallenge, verifyBearer } from '../auth/verify-bearer';
import type { Store } from '../storage/store';
import type { Row } from '../storage/row';
import type { TableName } from '../storage/table-schemas';
import { envelopeToRows } from '../storage/envelope-to-rows';
import { sendJson } from '../server/http-io';
import type { LoggedRequest } from '../server/create-request-log';
import { readTrackBody, type BodyResult } from './read-track-body';
import { parseItems } from './parse-items';
import { validateEnvelope, type Envelope } from './validate-envelope';

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
export interface TrackContext {
  readonly registry: Registry;
  readonly store: Store;
  readonly signer: TokenSigner;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: () => string;
  readonly maxBodyBytes: number;
  readonly now: () => number;
}

/** Most entries listed in `errors`: further refused items are counted (itemsReceived - itemsAccepted) but not listed. */
export const MAX_LISTED_ERRORS = 1_000;

/** Message of the 400 a Entra-only resource answers on v2/track. */
export const AUTH_NOT_SUPPORTED_MESSAGE =
  'Authentication not supported: this Application Insights resource has local authentication disabled (DisableLocalAuth) and accepts only Microsoft Entra ID authenticated telemetry on v2.1/track with a Bearer token.';

function respond(res: ServerResponse, log: LoggedRequest, status: number, body: TrackResponse | Record<string, unknown>, headers: Record<string, string> = {}): void {
  log.status = status;
  sendJson(res, status, body, headers);
}

type Authorization = { ok: true } | { ok: false; status: number; body: Record<string, unknown>; headers?: Record<string, string> };

function authorize(req: IncomingMessage, ctx: TrackContext, version: 'v2' | 'v2.1', resources: ResourceConfig[], received: number): Authorization {
  const entraOnly = resources.filter((r) => r.disableLocalAuth);
  const header = req.headers.authorization;
  if (version === 'v2') {
    if (entraOnly.length === 0) return { ok: true };
    return { ok: false, status: 400, body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: AUTH_NOT_SUPPORTED_MESSAGE }] } };
  }
  if (header === undefined && entraOnly.length === 0) return { ok: true };
  const authorizationUri = `${ctx.authorityHost()}/${ctx.registry.tenantId}`;
  const check = verifyBearer(header, { signer: ctx.signer, tenantId: ctx.registry.tenantId, audiences: INGESTION_AUDIENCES, nowSeconds: Math.floor(ctx.now() / 1000) });
  if (!check.ok) {
    return {
      ok: false,
      status: 401,
      body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 401, message: `Unauthorized - please provide the valid authorization token: ${check.description}` }] },
      headers: { 'www-authenticate': bearerChallenge(authorizationUri, check.description, !check.missing) },
    };
  }
  const denied = resources.find((r) => !ctx.registry.hasRole(check.claims.oid, r.name, 'Monitoring Metrics Publisher'));
  if (denied) {
    const message = `Forbidden - provided credentials do not grant the access to ingest the telemetry into the component: identity (oid ${check.claims.oid}, appid ${check.claims.appid}) lacks the Monitoring Metrics Publisher role on Application Insights resource '${denied.name}'.`;
    return { ok: false, status: 403, body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 403, message }] } };
  }
  return { ok: true };
}

/**
 * Handles `POST /v2/track` and `/v2.1/track`: read, parse, authorize, validate, store, answer like
 * the service. `body` is a read already under way (a delayed chaos request reads its body while it
 * waits, so a client that gives up meanwhile still gets its items stored, as the service would).
 */
export async function handleTrack(req: IncomingMessage, res: ServerResponse, ctx: TrackContext, version: 'v2' | 'v2.1', log: LoggedRequest, body?: Promise<BodyResult>): Promise<void> {
  if (version === 'v2' && ctx.registry.resources().every((r) => r.disableLocalAuth)) {
    // Like the service: v2/track is refused before the body is looked at, whatever it holds.
    if (body === undefined) req.resume();
    respond(res, log, 400, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: AUTH_NOT_SUPPORTED_MESSAGE }] });
    return;
  }
  answerTrack(req, res, ctx, version, log, await (body ?? readTrackBody(req, ctx.maxBodyBytes)));
}

function answerTrack(req: IncomingMessage, res: ServerResponse, ctx: TrackContext, version: 'v2' | 'v2.1', log: LoggedRequest, body: BodyResult): void {
  if (body.status === 'too-large') {
    respond(res, log, 413, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 413, message: body.message }] });
    return;
  }
  if (body.status === 'malformed') {
    respond(res, log, 400, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: body.message }] });
    return;
  }
  const parsed = parseItems(body.text);
  if (!parsed.ok) {
    respond(res, log, parsed.status, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: parsed.status, message: parsed.message }] });
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
  const accepted: { envelope: Envelope; resource: ResourceConfig }[] = [];
  items.forEach((item, index) => {
    if (item.error !== undefined) {
      refuse(index, item.error);
      return;
    }
    const check = validateEnvelope(item.value, item.byteLength);
    if (!check.ok) {
      refuse(index, check.message);
      return;
    }
    const resource = ctx.registry.resourceByIkey(check.envelope.iKey);
    if (!resource) {
      refuse(index, `Invalid instrumentation key '${check.envelope.iKey.slice(0, 8)}...': no such Application Insights resource`);
      return;
    }
    accepted.push({ envelope: check.envelope, resource });
  });
  const resources = [...new Set(accepted.map((a) => a.resource))];
  const auth = authorize(req, ctx, version, resources, items.length);
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
