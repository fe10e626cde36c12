import type { IncomingMessage } from 'node:http';
import type { Registry } from '../config/create-registry';
import type { ResourceConfig } from '../config/emulator-config';
import type { TokenSigner } from '../auth/create-token-signer';
import { INGESTION_AUDIENCES } from '../auth/audiences';
import { bearerChallenge, verifyBearer } from '../auth/verify-bearer';

/** What authenticating and authorizing an ingestion request needs. */
export interface TrackAuthContext {
  readonly registry: Registry;
  readonly signer: TokenSigner;
  /** `https://localhost:<tokenPort>` */
  readonly authorityHost: () => string;
  readonly now: () => number;
}

/** Message of the 400 a Entra-only resource answers on v2/track. */
export const AUTH_NOT_SUPPORTED_MESSAGE =
  'Authentication not supported: this Application Insights resource has local authentication disabled (DisableLocalAuth) and accepts only Microsoft Entra ID authenticated telemetry on v2.1/track with a Bearer token.';

/** Whether the request may go on, else the answer to give. */
export type Authorization = { ok: true } | { ok: false; status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/** A refused request's answer. */
type Refusal = Extract<Authorization, { ok: false }>;

function unauthorized(ctx: TrackAuthContext, received: number, description: string, missing: boolean): Refusal {
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
export type Authentication =
  | { readonly status: 'verified'; readonly oid: string; readonly appid: string }
  | { readonly status: 'anonymous' }
  | { readonly status: 'refused'; readonly refusal: Refusal }
  | { readonly status: 'v2' };

const MISSING_TOKEN = 'no Authorization header was sent';

/** Judges the token of a v2.1 request before its body is read. */
export function authenticate(req: IncomingMessage, ctx: TrackAuthContext): Authentication {
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
export function authorize(ctx: TrackAuthContext, who: Authentication, resources: ResourceConfig[], received: number): Authorization {
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
