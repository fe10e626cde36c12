import type { BearerDecision } from '../auth/auth-trace';
import type { IdentityConfig, ResourceConfig, RoleName } from '../config/emulator-config';
import type { LoggedRequest } from '../server/create-request-log';

/** Which emulator service a request went to. */
export type ServiceName = 'ingestion' | 'live-metrics' | 'query' | 'token-issuer' | 'managed-identity' | 'admin' | 'other';

/** Claims of the token a request carried, as the inspector shows them (never the token). */
interface ClaimsView {
  readonly aud: string;
  readonly iss: string;
  readonly tid: string;
  readonly oid: string;
  readonly appid: string;
  /** Expiry, ISO 8601. */
  readonly expires: string;
  /** Name of the emulator identity with this object id, when there is one. */
  readonly identity?: string;
  /** Roles the identity holds on the resource(s) the request was checked against, now. */
  readonly rolesHeld: readonly RoleName[];
}

/** One request as the inspector's Requests view shows it. */
export interface RequestView {
  readonly id: number;
  readonly timestamp: number;
  readonly method: string;
  readonly path: string;
  readonly service: ServiceName;
  readonly status: number;
  readonly itemsReceived?: number;
  readonly itemsAccepted?: number;
  readonly chaos?: boolean;
  readonly claims?: ClaimsView;
  /** The authorization decision in words; absent for requests nothing was decided on. */
  readonly decision?: { readonly allowed: boolean; readonly reason: string };
}

/** What describing a request looks up (the live registry). */
export interface DescribeLookup {
  identityByObjectId(objectId: string): IdentityConfig | undefined;
  rolesHeld(objectId: string, resource: string): readonly RoleName[];
  resources(): readonly ResourceConfig[];
}

const ROLE_OF_SERVICE: Partial<Record<ServiceName, RoleName>> = {
  ingestion: 'Monitoring Metrics Publisher',
  'live-metrics': 'Monitoring Metrics Publisher',
  query: 'Reader',
};

/** Classifies a request by its path (and by the server that received it). */
export function classifyService(path: string, issuer: boolean): ServiceName {
  if (issuer) return 'token-issuer';
  const p = path.split('?')[0] ?? '';
  if (/^\/+v2(\.1)?\/track\/?$/i.test(p)) return 'ingestion';
  if (/^\/+QuickPulseService\.svc\//i.test(p)) return 'live-metrics';
  if (/^\/+v1\/apps\/[^/]+\/query\/?$/i.test(p)) return 'query';
  if (p === '/msi/token') return 'managed-identity';
  if (p.startsWith('/admin/')) return 'admin';
  return 'other';
}

function bearerReason(bearer: BearerDecision, service: ServiceName, localAuthDisabled: boolean): string {
  const expected = bearer.audiences[0] ?? '';
  const c = bearer.claims;
  switch (bearer.outcome) {
    case 'missing':
      return service === 'query' ? 'no token sent: the query API needs a Microsoft Entra token' : localAuthDisabled ? 'local authentication disabled: no token sent' : 'no token sent';
    case 'not-bearer':
      return 'the Authorization header is not a Bearer token';
    case 'invalid':
      return `token refused: ${bearer.description ?? 'it could not be verified'}`;
    case 'issuer':
      return `issuer ${c?.iss ?? '?'} (tenant ${c?.tid ?? '?'}) is not this emulator's tenant`;
    case 'audience':
      return `audience ${c?.aud ?? '?'} is not ${expected}`;
    case 'expired':
      return `token expired at ${c ? new Date(c.exp * 1000).toISOString() : '?'}`;
    case 'not-yet-valid':
      return `token not valid before ${c ? new Date(c.nbf * 1000).toISOString() : '?'}`;
    case 'ok':
      return 'token accepted';
  }
}

function identityLabel(identity: IdentityConfig | undefined, objectId: string): string {
  return identity ? `identity ${identity.name}` : `identity with object id ${objectId} (unknown to the emulator)`;
}

function decide(entry: LoggedRequest, service: ServiceName, lookup: DescribeLookup): RequestView['decision'] {
  const trace = entry.auth;
  const bearer = trace?.bearer;
  const denied = trace?.roleChecks.find((c) => !c.held);
  const localAuthDisabled = lookup.resources().some((r) => r.disableLocalAuth);
  if ((service === 'ingestion' || service === 'live-metrics') && (entry.status === 400 || entry.status === 401) && !bearer && localAuthDisabled) {
    if (/^\/+v2\/track/i.test(entry.path)) return { allowed: false, reason: 'local authentication disabled: v2/track (instrumentation key only) is refused; send to v2.1/track with a Microsoft Entra token' };
    if (entry.headers['authorization'] === undefined) return { allowed: false, reason: 'local authentication disabled: no token sent' };
  }
  if (bearer && bearer.outcome !== 'ok') return { allowed: false, reason: bearerReason(bearer, service, localAuthDisabled) };
  if (denied) {
    const who = identityLabel(lookup.identityByObjectId(denied.objectId), denied.objectId);
    return { allowed: false, reason: `${who} lacks ${denied.role} on this resource (${denied.resource})` };
  }
  if (bearer?.claims) {
    const checked = trace?.roleChecks ?? [];
    const who = identityLabel(lookup.identityByObjectId(bearer.claims.oid), bearer.claims.oid);
    const role = checked[0]?.role ?? ROLE_OF_SERVICE[service];
    const where = checked.length > 0 ? [...new Set(checked.map((c) => c.resource))].join(', ') : undefined;
    return { allowed: true, reason: role && where ? `${who} holds ${role} on ${where}` : `token accepted for ${who}` };
  }
  if (service === 'ingestion' && entry.status > 0 && entry.status < 300) return { allowed: true, reason: 'no token needed: local authentication is enabled on this resource' };
  return undefined;
}

function claimsView(entry: LoggedRequest, lookup: DescribeLookup): ClaimsView | undefined {
  const c = entry.auth?.bearer?.claims;
  if (!c) return undefined;
  const identity = lookup.identityByObjectId(c.oid);
  const checked = [...new Set(entry.auth?.roleChecks.map((r) => r.resource) ?? [])];
  const resources = checked.length > 0 ? checked : lookup.resources().map((r) => r.name);
  const rolesHeld = [...new Set(resources.flatMap((r) => lookup.rolesHeld(c.oid, r)))];
  return {
    aud: c.aud,
    iss: c.iss,
    tid: c.tid,
    oid: c.oid,
    appid: c.appid,
    expires: new Date(c.exp * 1000).toISOString(),
    ...(identity ? { identity: identity.name } : {}),
    rolesHeld,
  };
}

/** A logged request as the Requests view shows it: service, counts, claims and the decision in words. */
export function describeRequest(id: number, entry: LoggedRequest, lookup: DescribeLookup): RequestView {
  const service = classifyService(entry.path, entry.issuer === true);
  const claims = claimsView(entry, lookup);
  const decision = decide(entry, service, lookup);
  return {
    id,
    timestamp: entry.timestamp,
    method: entry.method,
    path: entry.path,
    service,
    status: entry.status,
    ...(entry.itemsReceived !== undefined ? { itemsReceived: entry.itemsReceived } : {}),
    ...(entry.itemsAccepted !== undefined ? { itemsAccepted: entry.itemsAccepted } : {}),
    ...(entry.chaos ? { chaos: true } : {}),
    ...(claims ? { claims } : {}),
    ...(decision ? { decision } : {}),
  };
}
