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
import { formatViolation } from './format-violation';

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

type Refusal = Extract<Authorization, { ok: false }>;

function unauthorized(ctx: TrackContext, received: number, description: string, missing: boolean): Refusal {
  const authorizationUri = `${ctx.authorityHost()}/${ctx.registry.tenantId}`;
  return {
    ok: false,
    status: 401,
    body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 401, message: `Unauthorized - please provide the valid authorization token: ${description}` }] },
    headers: { 'www-authenticate': bearerChallenge(authorizationUri, description, !missing) },
  };
}

/**
 * The authentication a v2.1 request carries, judged before its body is read: a request whose token
 * is invalid, or that has no token while every resource is Entra-only, is refused with 401 whatever
 * its body holds (`[]`, malformed, oversized). `anonymous` means no token on an emulator that also
 * has local-auth resources: whether that is allowed depends on the items.
 */
type Authentication =
  | { readonly status: 'verified'; readonly oid: string; readonly appid: string }
  | { readonly status: 'anonymous' }
  | { readonly status: 'refused'; readonly refusal: Refusal }
  | { readonly status: 'v2' };

const MISSING_TOKEN = 'no Authorization header was sent';

function authenticate(req: IncomingMessage, ctx: TrackContext): Authentication {
  const header = req.headers.authorization;
  if (header === undefined) {
    if (ctx.registry.resources().every((r) => r.disableLocalAuth)) return { status: 'refused', refusal: unauthorized(ctx, 0, MISSING_TOKEN, true) };
    return { status: 'anonymous' };
  }
  const check = verifyBearer(header, { signer: ctx.signer, tenantId: ctx.registry.tenantId, audiences: INGESTION_AUDIENCES, nowSeconds: Math.floor(ctx.now() / 1000) });
  if (!check.ok) return { status: 'refused', refusal: unauthorized(ctx, 0, check.description, check.missing) };
  return { status: 'verified', oid: check.claims.oid, appid: check.claims.appid };
}

/**
 * Once the items are known: v2/track may only address local-auth resources (400 otherwise, as the
 * service answers); an anonymous v2.1 request likewise (401); a token needs the role on each (403).
 */
function authorize(ctx: TrackContext, who: Authentication, resources: ResourceConfig[], received: number): Authorization {
  if (who.status === 'refused') return who.refusal;
  if (who.status === 'v2') {
    if (!resources.some((r) => r.disableLocalAuth)) return { ok: true };
    return { ok: false, status: 400, body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: AUTH_NOT_SUPPORTED_MESSAGE }] } };
  }
  if (who.status === 'anonymous') {
    const addressesEntraOnly = resources.length === 0 ? ctx.registry.resources().some((r) => r.disableLocalAuth) : resources.some((r) => r.disableLocalAuth);
    return addressesEntraOnly ? unauthorized(ctx, received, MISSING_TOKEN, true) : { ok: true };
  }
  const denied = resources.find((r) => !ctx.registry.hasRole(who.oid, r.name, 'Monitoring Metrics Publisher'));
  if (denied) {
    const message = `Forbidden - provided credentials do not grant the access to ingest the telemetry into the component: identity (oid ${who.oid}, appid ${who.appid}) lacks the Monitoring Metrics Publisher role on Application Insights resource '${denied.name}'.`;
    return { ok: false, status: 403, body: { itemsReceived: received, itemsAccepted: 0, errors: [{ index: 0, statusCode: 403, message }] } };
  }
  return { ok: true };
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
