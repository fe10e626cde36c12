// The token issuer over raw HTTP(S): OpenID configuration, JWKS, v2 and v1 token endpoints with
// AADSTS-style errors, and the App Service managed identity endpoint.
import { createPublicKey, createVerify } from 'node:crypto';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { send, sendHttps } from '../../packages/emulator/test/helpers/envelopes';

const decode = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;

describe('emulator token issuer', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator({ tokenLifetimeSeconds: 600 }); });
  afterAll(() => emu.close());

  const form = (path: string, fields: Record<string, string>) =>
    sendHttps(`${emu.authorityHost}/${path}`, emu.caCertPem, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const sp = () => emu.servicePrincipal('ci-principal');

  it.each([['v2.0/.well-known/openid-configuration'], ['.well-known/openid-configuration']])('serves %s pointing at the emulator', async (p) => {
    const res = await sendHttps(`${emu.authorityHost}/${emu.tenantId}/${p}`, emu.caCertPem);
    expect(res.status).toBe(200);
    const doc = res.json<Record<string, string>>();
    expect(doc['token_endpoint']).toMatch(new RegExp(`^${emu.authorityHost}/${emu.tenantId}/oauth2/`));
    expect(doc['jwks_uri']).toMatch(new RegExp(`^${emu.authorityHost}/`));
    expect(doc).toEqual(expect.objectContaining({ issuer: expect.any(String), authorization_endpoint: expect.any(String) }));
  });

  it('issues v2 client-credentials tokens that verify against the published JWKS, with the expected claims', async () => {
    const res = await form(`${emu.tenantId}/oauth2/v2.0/token`, { grant_type: 'client_credentials', client_id: sp().clientId, client_secret: sp().clientSecret, scope: 'https://monitor.azure.com/.default' });
    expect(res.status).toBe(200);
    const body = res.json<{ access_token: string; expires_in: number; token_type: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const claims = decode(body.access_token);
    expect(claims).toMatchObject({ aud: 'https://monitor.azure.com', iss: `https://sts.windows.net/${emu.tenantId}/`, tid: emu.tenantId, oid: emu.identity('ci-principal').objectId, appid: sp().clientId });
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(600);
    const jwks = (await sendHttps(`${emu.authorityHost}/${emu.tenantId}/discovery/v2.0/keys`, emu.caCertPem)).json<{ keys: Record<string, string>[] }>();
    const [h, p, s] = body.access_token.split('.') as [string, string, string];
    const kid = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid;
    const jwk = jwks.keys.find((k) => k['kid'] === kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('issues v1 tokens for resource=', async () => {
    const res = await form(`${emu.tenantId}/oauth2/token`, { grant_type: 'client_credentials', client_id: sp().clientId, client_secret: sp().clientSecret, resource: 'https://api.applicationinsights.io' });
    expect(res.status).toBe(200);
    const body = res.json<Record<string, string>>();
    expect(body).toMatchObject({ token_type: 'Bearer', resource: 'https://api.applicationinsights.io', expires_in: '600' });
    expect(decode(body['access_token'] as string)['aud']).toBe('https://api.applicationinsights.io');
  });

  it.each([
    ['a wrong secret', 'v2.0/token', { client_secret: 'nope' }, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided'],
    ['an unknown client', 'v2.0/token', { client_id: '00000000-0000-4000-8000-000000000000' }, 400, 'unauthorized_client', 'AADSTS700016'],
    ['a scope without /.default', 'v2.0/token', { scope: 'https://monitor.azure.com' }, 400, 'invalid_scope', 'AADSTS1002012'],
    ['another grant type', 'v2.0/token', { grant_type: 'password' }, 400, 'unsupported_grant_type', 'AADSTS70003'],
    ['v1 without resource', 'token', { scope: '' }, 400, 'invalid_request', "'resource'"],
  ])('answers %s AADSTS-style', async (_name, endpoint, override, status, error, description) => {
    const res = await form(`${emu.tenantId}/oauth2/${endpoint}`, { grant_type: 'client_credentials', client_id: sp().clientId, client_secret: sp().clientSecret, scope: 'https://monitor.azure.com/.default', ...override });
    expect(res.status).toBe(status);
    const body = res.json<{ error: string; error_description: string; error_codes: number[] }>();
    expect(body.error).toBe(error);
    expect(body.error_description).toContain(description);
  });

  it('answers AADSTS90002 for an unknown tenant', async () => {
    const res = await form('11111111-0000-4000-8000-000000000000/oauth2/v2.0/token', { grant_type: 'client_credentials', client_id: sp().clientId, client_secret: sp().clientSecret, scope: 'https://monitor.azure.com/.default' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('AADSTS90002');
  });

  describe('managed identity endpoint', () => {
    const msi = (query: string, header: string | undefined) =>
      send(`${emu.managedIdentityEnv().IDENTITY_ENDPOINT}?${query}`, { method: 'GET', headers: header === undefined ? {} : { 'x-identity-header': header } });

    it('issues the system-assigned identity token without client_id', async () => {
      const res = await msi('resource=https://monitor.azure.com&api-version=2019-08-01', emu.managedIdentityEnv().IDENTITY_HEADER);
      expect(res.status).toBe(200);
      const body = res.json<Record<string, string>>();
      expect(body).toMatchObject({ token_type: 'Bearer', resource: 'https://monitor.azure.com', expires_on: expect.stringMatching(/^\d+$/) });
      expect(decode(body['access_token'] as string)['oid']).toBe(emu.identity('app-identity').objectId);
    });

    it('issues a user-assigned identity token for client_id', async () => {
      const res = await msi(`resource=https://monitor.azure.com&api-version=2019-08-01&client_id=${emu.identity('no-role-identity').clientId}`, emu.managedIdentityEnv().IDENTITY_HEADER);
      expect(decode(res.json<Record<string, string>>()['access_token'] as string)['oid']).toBe(emu.identity('no-role-identity').objectId);
    });

    it('treats the header of another identity as that identity when no client_id is sent', async () => {
      const res = await msi('resource=https://monitor.azure.com&api-version=2019-08-01', emu.managedIdentityEnv('no-role-identity').IDENTITY_HEADER);
      expect(decode(res.json<Record<string, string>>()['access_token'] as string)['oid']).toBe(emu.identity('no-role-identity').objectId);
    });

    it.each([
      ['a missing header', 'resource=https://monitor.azure.com', undefined, 401],
      ['a wrong header', 'resource=https://monitor.azure.com', 'nope', 401],
      ['no resource', 'api-version=2019-08-01', 'ok', 400],
      ['an unknown client_id', 'resource=x&client_id=00000000-0000-4000-8000-000000000000', 'ok', 400],
      ['a service principal client_id', 'resource=x&client_id=5e5e5e5e-0000-4000-8000-000000000002', 'ok', 400],
    ])('refuses %s', async (_name, query, header, status) => {
      const res = await msi(query, header === 'ok' ? emu.managedIdentityEnv().IDENTITY_HEADER : header);
      expect(res.status).toBe(status);
    });
  });
});
