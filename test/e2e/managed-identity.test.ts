/**
 * End to end: the REAL ManagedIdentityCredential from @azure/identity 4.13.0, selected by
 * APPLICATIONINSIGHTS_AUTHENTICATION_STRING, against a loopback App Service style managed identity
 * endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), through parseAuthenticationString / resolveConfig
 * and our token provider.
 *
 * How @azure/identity 4.13.0 reads the environment (checked in node_modules): the constructor
 * calls MSAL's getManagedIdentitySource(), which reads IDENTITY_ENDPOINT/IDENTITY_HEADER (and the
 * other sources' variables) only to pick and log the source; the first acquireToken() then reads
 * them again and caches the chosen source, endpoint and header in a STATIC field of MSAL's
 * ManagedIdentityClient for the life of the module instance. MSAL also keeps a static token cache
 * keyed by identity and resource. So: set the variables before constructing anything, keep ONE
 * endpoint for the whole file, use a different (identity, resource) pair per test, and restore the
 * environment afterwards. The App Service response (MSAL's AppService source, api-version
 * 2019-08-01) is `{ access_token, expires_on (epoch seconds as a string), resource, token_type }`;
 * user-assigned identities add `client_id=<guid>` to the query.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  CredentialUnavailableError,
} from '../../packages/core/src/errors';
import { parseAuthenticationString } from '../../packages/core/src/auth/parse-authentication-string';
import { createTokenProvider } from '../../packages/core/src/auth/create-token-provider';
import { getSharedTokenProvider } from '../../packages/core/src/auth/get-shared-token-provider';
import { decodeTokenClaims } from '../../packages/core/src/auth/decode-token-claims';
import { resolveConfig } from '../../packages/core/src/config/resolve-config';
import { deriveScope } from '../../packages/core/src/config/derive-scope';
import { parseConnectionString } from '../../packages/core/src/config/parse-connection-string';

const guard = require('../../scripts/network-guard.cjs') as { install(): { violations: string[] } };

const IDENTITY_HEADER = 'e2e-identity-header-secret';
const IKEY = '3a5b9c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d';
const USER_CLIENT_ID = '7c1f0a3e-5b2d-4e8f-9a6b-1c2d3e4f5a6b';
const UNKNOWN_CLIENT_ID = '00000000-1111-4222-8333-444444444444';
const HANGING_CLIENT_ID = '99999999-8888-4777-8666-555555555555';
/** Variables that would make MSAL or @azure/identity pick another source, or a proxy. */
const OTHER_MSI_VARIABLES = [
  'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'DEFAULT_IDENTITY_CLIENT_ID', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID',
  'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy',
];

interface SeenRequest { readonly method: string; readonly path: string; readonly query: URLSearchParams; readonly identityHeader: string | undefined }

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

describe('managed identity end to end (App Service endpoint, real ManagedIdentityCredential)', () => {
  const seen: SeenRequest[] = [];
  const hanging: http.ServerResponse[] = [];
  const savedEnv = new Map<string, string | undefined>();
  const guardState = guard.install();
  let server: http.Server;
  let issued = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const header = req.headers['x-identity-header'];
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, identityHeader: Array.isArray(header) ? header[0] : header });
      const clientId = url.searchParams.get('client_id');
      if (url.pathname !== '/msi/token' || header !== IDENTITY_HEADER) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      if (clientId === UNKNOWN_CLIENT_ID) {
        res.writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_request', error_description: 'No managed identity with this client id is assigned to this app.' }));
        return;
      }
      if (clientId === HANGING_CLIENT_ID) {
        hanging.push(res); // not answered until afterAll
        return;
      }
      issued += 1;
      const resource = url.searchParams.get('resource') ?? '';
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        access_token: fakeJwt({ aud: resource, tid: 'e2e-tenant', oid: `object-${clientId ?? 'system'}`, appid: clientId ?? 'system-app', exp: expiresOn, n: issued }),
        expires_on: String(expiresOn),
        resource,
        token_type: 'Bearer',
        client_id: clientId ?? 'system-app',
      }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', ...OTHER_MSI_VARIABLES]) savedEnv.set(name, process.env[name]);
    for (const name of OTHER_MSI_VARIABLES) delete process.env[name];
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${port}/msi/token`;
    process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  });

  afterAll(async () => {
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    // Answer (rather than reset) the parked request: a reset would make the credential's HTTP
    // pipeline retry with real timers after this file is done.
    for (const res of hanging) res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => { seen.length = 0; });
  afterEach(() => expect(guardState.violations).toEqual([])); // nothing but loopback was contacted

  it('system-assigned: Authorization=AAD via resolveConfig and the shared token provider', async () => {
    const config = resolveConfig(
      { connectionString: `InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/` },
      { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' },
    );
    expect(config.managedIdentity).toEqual({ kind: 'system-assigned' });
    expect(seen).toHaveLength(0); // nothing contacted at configuration time
    const credential = config.credential;
    if (credential === undefined) throw new Error('expected a credential');

    const provider = getSharedTokenProvider(credential, config.scope);
    const [token, again] = await Promise.all([provider.getToken(), provider.getToken()]);
    expect(again).toBe(token);
    await expect(getSharedTokenProvider(credential, config.scope).getToken()).resolves.toBe(token);

    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/msi/token');
    expect(request.identityHeader).toBe(IDENTITY_HEADER);
    expect(request.query.get('resource')).toBe('https://monitor.azure.com');
    expect(request.query.get('api-version')).toBe('2019-08-01');
    expect(request.query.has('client_id')).toBe(false);
    expect(decodeTokenClaims(token)).toMatchObject({ aud: 'https://monitor.azure.com', tid: 'e2e-tenant', oid: 'object-system' });
  });

  it('user-assigned: Authorization=AAD;ClientId=<guid> via parseAuthenticationString and createTokenProvider', async () => {
    const auth = parseAuthenticationString(`Authorization=AAD;ClientId=${USER_CLIENT_ID.toUpperCase()}`);
    expect(auth.managedIdentity).toEqual({ kind: 'user-assigned', clientId: USER_CLIENT_ID });
    const credential = auth.getCredential();
    expect(credential.constructor.name).toBe('ManagedIdentityCredential');
    const provider = createTokenProvider(credential, deriveScope({ ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com' }));

    const token = await provider.getToken();
    await expect(provider.getToken()).resolves.toBe(token);

    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.identityHeader).toBe(IDENTITY_HEADER);
    expect(request.query.get('resource')).toBe('https://monitor.azure.com');
    expect(request.query.get('client_id')).toBe(USER_CLIENT_ID);
    expect(decodeTokenClaims(token)).toMatchObject({ appid: USER_CLIENT_ID, oid: `object-${USER_CLIENT_ID}` });
  });

  it('sovereign cloud: the China ingestion endpoint asks for the monitor.azure.cn resource', async () => {
    const cs = parseConnectionString(`InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn;Location=chinaeast2`);
    const auth = parseAuthenticationString(`Authorization=AAD;ClientId=${USER_CLIENT_ID}`);
    const provider = createTokenProvider(auth.getCredential(), deriveScope({ ingestionEndpoint: cs.ingestionEndpoint }));
    const token = await provider.getToken();
    expect(seen.map((r) => r.query.get('resource'))).toEqual(['https://monitor.azure.cn']);
    expect(decodeTokenClaims(token)?.aud).toBe('https://monitor.azure.cn');
  });

  it('an identity the endpoint does not know becomes a CredentialUnavailableError that says what to check', async () => {
    const auth = parseAuthenticationString(`Authorization=AAD;ClientId=${UNKNOWN_CLIENT_ID}`);
    const provider = createTokenProvider(auth.getCredential(), 'https://monitor.azure.com/.default');
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toMatch(/managed identity is assigned to this resource/);
    expect((error as Error).message).toMatch(/ClientId/);
    expect((error as Error).message).not.toContain(IDENTITY_HEADER);
    expect(seen.map((r) => r.query.get('client_id'))).toEqual([UNKNOWN_CLIENT_ID]);
    // backing off: an immediate second call does not reach the endpoint again
    await expect(provider.getToken()).rejects.toBe(error);
    expect(seen).toHaveLength(1);
  });

  it('a hanging identity endpoint is cut off by the acquisition timeout', async () => {
    const auth = parseAuthenticationString(`Authorization=AAD;ClientId=${HANGING_CLIENT_ID}`);
    const provider = createTokenProvider(auth.getCredential(), 'https://monitor.azure.com/.default', { acquireTimeoutMillis: 300 });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect((error as Error).message).toMatch(/within 300 ms.*IDENTITY_ENDPOINT/);
    expect(seen.map((r) => r.query.get('client_id'))).toEqual([HANGING_CLIENT_ID]);
  });

  it('rejects an unsupported authentication string before any credential exists', () => {
    expect(() => parseAuthenticationString('Authorization=AAD;ClientId=not-a-guid')).toThrow(ConfigError);
    expect(seen).toHaveLength(0);
  });
});
