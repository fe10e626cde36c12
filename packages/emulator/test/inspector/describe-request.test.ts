import type { AuthTrace } from '../../src/auth/auth-trace';
import type { TokenClaims } from '../../src/auth/create-token-signer';
import type { IdentityConfig, ResourceConfig, RoleName } from '../../src/config/emulator-config';
import { classifyService, describeRequest, type DescribeLookup } from '../../src/inspector/describe-request';
import type { LoggedRequest } from '../../src/server/create-request-log';

const TENANT = '72f988bf-0000-4000-8000-00000000e0e0';
const APP_X: IdentityConfig = { name: 'app-x', kind: 'servicePrincipal', clientId: 'c1', objectId: 'o1', clientSecret: 's' };
const RESOURCE: ResourceConfig = { name: 'entra-only', instrumentationKey: 'ikey', applicationId: 'app', disableLocalAuth: true };
const MONITOR = ['https://monitor.azure.com', 'https://monitor.azure.com/'];

function claims(over: Partial<TokenClaims> = {}): TokenClaims {
  return { aud: 'https://monitor.azure.com', iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, oid: 'o1', appid: 'c1', sub: 'o1', iat: 0, nbf: 0, exp: 1_800_000_000, ...over };
}

function lookup(held: RoleName[] = []): DescribeLookup {
  return {
    identityByObjectId: (oid) => (oid === 'o1' ? APP_X : undefined),
    rolesHeld: () => held,
    resources: () => [RESOURCE],
  };
}

function entry(path: string, status: number, auth?: AuthTrace, headers: Record<string, string> = {}): LoggedRequest {
  return { timestamp: 0, method: 'POST', path, headers, status, ...(auth ? { auth } : {}) };
}

describe('describeRequest', () => {
  it.each([
    ['no token on v2.1/track', entry('/v2.1/track', 401, { bearer: { outcome: 'missing', audiences: MONITOR }, roleChecks: [] }), false, 'local authentication disabled: no token sent'],
    ['v2/track with an instrumentation key only', entry('/v2/track', 400, { roleChecks: [] }), false, 'local authentication disabled: v2/track (instrumentation key only) is refused; send to v2.1/track with a Microsoft Entra token'],
    ['no token on a Live Metrics ping', entry('/QuickPulseService.svc/ping?ikey=x', 400, { roleChecks: [] }), false, 'local authentication disabled: no token sent'],
    ['a token for Azure Resource Manager', entry('/v2.1/track', 401, { bearer: { outcome: 'audience', audiences: MONITOR, claims: claims({ aud: 'https://management.azure.com' }) }, roleChecks: [] }), false, 'audience https://management.azure.com is not https://monitor.azure.com'],
    ['an expired token', entry('/v2.1/track', 401, { bearer: { outcome: 'expired', audiences: MONITOR, claims: claims({ exp: 1_700_000_000 }) }, roleChecks: [] }), false, 'token expired at 2023-11-14T22:13:20.000Z'],
    ['a token of another tenant', entry('/v2.1/track', 401, { bearer: { outcome: 'issuer', audiences: MONITOR, claims: claims({ iss: 'https://sts.windows.net/other/', tid: 'other' }) }, roleChecks: [] }), false, "issuer https://sts.windows.net/other/ (tenant other) is not this emulator's tenant"],
    ['a token that fails its signature', entry('/v2.1/track', 401, { bearer: { outcome: 'invalid', description: 'the token signature is invalid', audiences: MONITOR }, roleChecks: [] }), false, 'token refused: the token signature is invalid'],
    ['an identity without the role', entry('/v2.1/track', 403, { bearer: { outcome: 'ok', audiences: MONITOR, claims: claims() }, roleChecks: [{ objectId: 'o1', resource: 'entra-only', role: 'Monitoring Metrics Publisher', held: false }] }), false, 'identity app-x lacks Monitoring Metrics Publisher on this resource (entra-only)'],
    ['an unknown object id without the role', entry('/v2.1/track', 403, { bearer: { outcome: 'ok', audiences: MONITOR, claims: claims({ oid: 'o9' }) }, roleChecks: [{ objectId: 'o9', resource: 'entra-only', role: 'Monitoring Metrics Publisher', held: false }] }), false, 'identity with object id o9 (unknown to the emulator) lacks Monitoring Metrics Publisher on this resource (entra-only)'],
    ['an identity with the role', entry('/v2.1/track', 200, { bearer: { outcome: 'ok', audiences: MONITOR, claims: claims() }, roleChecks: [{ objectId: 'o1', resource: 'entra-only', role: 'Monitoring Metrics Publisher', held: true }] }), true, 'identity app-x holds Monitoring Metrics Publisher on entra-only'],
    ['a query without Reader', entry('/v1/apps/app/query', 403, { bearer: { outcome: 'ok', audiences: ['https://api.applicationinsights.io'], claims: claims({ aud: 'https://api.applicationinsights.io' }) }, roleChecks: [{ objectId: 'o1', resource: 'entra-only', role: 'Reader', held: false }] }), false, 'identity app-x lacks Reader on this resource (entra-only)'],
    ['a query without a token', entry('/v1/apps/app/query', 401, { bearer: { outcome: 'missing', audiences: ['https://api.applicationinsights.io'] }, roleChecks: [] }), false, 'no token sent: the query API needs a Microsoft Entra token'],
  ])('explains %s', (_what, e, allowed, reason) => {
    expect(describeRequest(1, e, lookup()).decision).toEqual({ allowed, reason });
  });

  it('shows the decoded claims and the roles held now, never the token', () => {
    const e = entry('/v2.1/track', 403, { bearer: { outcome: 'ok', audiences: MONITOR, claims: claims() }, roleChecks: [{ objectId: 'o1', resource: 'entra-only', role: 'Monitoring Metrics Publisher', held: false }] }, { authorization: 'Bearer <redacted>' });
    const view = describeRequest(7, e, lookup(['Reader']));
    expect(view.claims).toEqual({ aud: 'https://monitor.azure.com', iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, oid: 'o1', appid: 'c1', expires: '2027-01-15T08:00:00.000Z', identity: 'app-x', rolesHeld: ['Reader'] });
    expect(JSON.stringify(view)).not.toMatch(/eyJ|Bearer/);
  });

  it('decides nothing for requests no authorization looked at', () => {
    expect(describeRequest(1, entry('/msi/token', 200), lookup()).decision).toBeUndefined();
  });

  it.each([
    ['/v2/track', false, 'ingestion'],
    ['/v2.1/track?x=1', false, 'ingestion'],
    ['/QuickPulseService.svc/post?ikey=k', false, 'live-metrics'],
    ['/v1/apps/abc/query', false, 'query'],
    ['/msi/token?resource=x', false, 'managed-identity'],
    ['/admin/chaos', false, 'admin'],
    ['/72f9/oauth2/v2.0/token', true, 'token-issuer'],
    ['/', false, 'other'],
  ])('classifies %s (issuer server: %s) as %s', (path, issuer, service) => {
    expect(classifyService(path, issuer)).toBe(service);
  });
});
