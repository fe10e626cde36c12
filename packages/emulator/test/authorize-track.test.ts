import type { IncomingMessage } from 'node:http';
import { authenticate, authorize, AUTH_NOT_SUPPORTED_MESSAGE, type Authentication, type TrackAuthContext } from '../src/ingestion/authorize-track';
import { createRegistry } from '../src/config/create-registry';
import { createDefaultConfig, DEFAULT_IDS, type EmulatorConfig, type ResourceConfig } from '../src/config/emulator-config';
import { createTokenSigner, type TokenSigner } from '../src/auth/create-token-signer';

const NOW_SECONDS = 1_800_000_000;
const TENANT = DEFAULT_IDS.tenantId;
const LOCAL: ResourceConfig = { name: 'local', instrumentationKey: 'aaaaaaaa-0000-4000-8000-000000000009', applicationId: 'bbbbbbbb-0000-4000-8000-000000000009', disableLocalAuth: false };

const withHeaders = (headers: Record<string, string>): IncomingMessage => ({ headers } as unknown as IncomingMessage);

describe('authenticate / authorize (ingestion)', () => {
  let signer: TokenSigner;
  beforeAll(async () => { signer = await createTokenSigner(); });

  const contextFor = (config: EmulatorConfig): TrackAuthContext => ({ registry: createRegistry(config), signer, authorityHost: () => 'https://localhost:1', now: () => NOW_SECONDS * 1000 });
  const entraOnly = (): TrackAuthContext => contextFor(createDefaultConfig());
  const mixed = (): TrackAuthContext => { const c = createDefaultConfig(); return contextFor({ ...c, resources: [...c.resources, LOCAL] }); };
  const token = (oid: string, aud = 'https://monitor.azure.com'): string =>
    signer.sign({ aud, iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT, oid, appid: 'app', sub: oid, iat: NOW_SECONDS - 10, nbf: NOW_SECONDS - 10, exp: NOW_SECONDS + 3600 });

  it.each<[string, () => TrackAuthContext, () => Record<string, string>, Authentication['status']]>([
    ['no token, every resource Entra-only', entraOnly, () => ({}), 'refused'],
    ['no token, a local-auth resource exists', mixed, () => ({}), 'anonymous'],
    ['a bad token, even with a local-auth resource', mixed, () => ({ authorization: 'Bearer nope' }), 'refused'],
    ['a token for another audience', entraOnly, () => ({ authorization: `Bearer ${token(DEFAULT_IDS.servicePrincipalObjectId, 'https://management.azure.com')}` }), 'refused'],
    ['a valid token', entraOnly, () => ({ authorization: `Bearer ${token(DEFAULT_IDS.servicePrincipalObjectId)}` }), 'verified'],
  ])('authenticate: %s -> %s', (_name, ctx, headers, status) => {
    const who = authenticate(withHeaders(headers()), ctx());
    expect(who.status).toBe(status);
    if (who.status === 'refused') expect(who.refusal).toMatchObject({ status: 401, headers: { 'www-authenticate': expect.stringMatching(/^Bearer authorization_uri="https:\/\/localhost:1\//) } });
    if (who.status === 'verified') expect(who).toMatchObject({ oid: DEFAULT_IDS.servicePrincipalObjectId, appid: 'app' });
  });

  const entra = createDefaultConfig().resources[0] as ResourceConfig;
  it.each<[string, () => TrackAuthContext, Authentication, ResourceConfig[], number | 'ok']>([
    ['v2 to a local-auth resource', mixed, { status: 'v2' }, [LOCAL], 'ok'],
    ['v2 to an Entra-only resource', mixed, { status: 'v2' }, [entra], 400],
    ['v2 naming no resource', mixed, { status: 'v2' }, [], 'ok'],
    ['anonymous to a local-auth resource', mixed, { status: 'anonymous' }, [LOCAL], 'ok'],
    ['anonymous to an Entra-only resource', mixed, { status: 'anonymous' }, [entra, LOCAL], 401],
    ['anonymous naming no resource while one is Entra-only', mixed, { status: 'anonymous' }, [], 401],
    ['a token with the role', entraOnly, { status: 'verified', oid: DEFAULT_IDS.servicePrincipalObjectId, appid: 'a' }, [entra], 'ok'],
    ['a token without the role', entraOnly, { status: 'verified', oid: DEFAULT_IDS.noRoleObjectId, appid: 'a' }, [entra], 403],
  ])('authorize: %s', (_name, ctx, who, resources, expected) => {
    const result = authorize(ctx(), who, resources, 3);
    if (expected === 'ok') expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, status: expected, body: { itemsReceived: 3, itemsAccepted: 0, errors: [{ index: 0, statusCode: expected }] } });
    if (expected === 400) expect(result).toMatchObject({ body: { errors: [{ message: AUTH_NOT_SUPPORTED_MESSAGE }] } });
    if (expected === 403) expect(result).toMatchObject({ body: { errors: [{ message: expect.stringContaining('Monitoring Metrics Publisher') }] } });
  });
});
