import * as path from 'node:path';
import { ManagedIdentityCredential } from '@azure/identity';
import { AuthError } from '@appinsights-otel/core';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { QueryClient, QueryError, tableToObjects } from '@appinsights-otel/query';
import { jsonLines, REPO_ROOT, requireBuilt, runNode } from '../fixtures/apps/run-node';

/** Ingests three requests (200, 200, 500) and a trace straight into the emulator with a valid token. */
async function seed(emulator: EmulatorHandle): Promise<void> {
  const iKey = emulator.resource().instrumentationKey;
  const time = new Date().toISOString();
  const request = (id: string, name: string, responseCode: string) => ({
    ver: 1, name: 'Microsoft.ApplicationInsights.Request', time, iKey, tags: { 'ai.operation.id': id },
    data: { baseType: 'RequestData', baseData: { ver: 2, id, name, url: `http://127.0.0.1/${name}`, duration: '00:00:00.0100000', responseCode, success: responseCode === '200' } },
  });
  const body = [
    request('a1', 'GET /a', '200'), request('a2', 'GET /a', '200'), request('b1', 'GET /boom', '500'),
    { ver: 1, name: 'Microsoft.ApplicationInsights.Message', time, iKey, tags: {}, data: { baseType: 'MessageData', baseData: { ver: 2, message: 'seeded log' } } },
  ];
  const token = emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName });
  const res = await fetch(`${emulator.ingestionUrl}/v2.1/track`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

describe('QueryClient against the emulator (real @azure/identity)', () => {
  let emulator: EmulatorHandle;
  const saved = { endpoint: process.env['IDENTITY_ENDPOINT'], header: process.env['IDENTITY_HEADER'] };

  beforeAll(async () => {
    emulator = await startEmulator();
    // The first query loads Kusto.Language, blocking the event loop for seconds (more on a busy
    // machine): do it before any keep-alive socket sits idle, which the server would then reset.
    emulator.query('requests | take 1');
    await seed(emulator);
  }, 120_000);
  afterAll(async () => {
    await emulator.close();
  });
  afterEach(() => {
    for (const [key, value] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
      if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
  });

  /**
   * A ManagedIdentityCredential pointed at the emulator's App Service style endpoint (never IMDS).
   * MSAL caches managed identity tokens process-wide per client id, so a second identity must be
   * selected as user-assigned (by client id), as it would be in Azure.
   */
  function managedIdentity(identityName: string, clientId?: string): ManagedIdentityCredential {
    Object.assign(process.env, emulator.managedIdentityEnv(identityName));
    return clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId });
  }

  it('queries with a managed identity that has Reader and gets typed tables', async () => {
    const client = new QueryClient({ appId: emulator.resource().applicationId, credential: managedIdentity(DEFAULT_IDS.managedIdentityName), endpoint: emulator.queryEndpoint });
    const { tables } = await client.query('requests | summarize count() by resultCode | order by resultCode asc', { timespan: 'PT1H' });
    expect(tables[0]!.columns.map((c) => c.name)).toEqual(['resultCode', 'count_']);
    expect(tableToObjects(tables[0]!)).toEqual([{ resultCode: '200', count_: 2 }, { resultCode: '500', count_: 1 }]);
  });

  it('explains a 403 for an identity without Reader, naming it', async () => {
    const client = new QueryClient({ appId: emulator.resource().applicationId, credential: managedIdentity(DEFAULT_IDS.noRoleManagedIdentityName, DEFAULT_IDS.noRoleManagedIdentityClientId), endpoint: emulator.queryEndpoint });
    const error = await client.query('requests | take 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ statusCode: 403 });
    expect((error as Error).message).toContain('Reader role');
    expect((error as Error).message).toContain(DEFAULT_IDS.noRoleManagedIdentityObjectId);
  });

  it('explains a 401 when the token is for the wrong audience (the ingestion one)', async () => {
    const client = new QueryClient({
      appId: emulator.resource().applicationId, credential: managedIdentity(DEFAULT_IDS.managedIdentityName),
      endpoint: emulator.queryEndpoint, audience: 'https://monitor.azure.com',
    });
    const error = await client.query('requests | take 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toContain('https://monitor.azure.com/.default');
    expect((error as Error).message).toContain('https://api.applicationinsights.io');
  });

  it('reports a KQL syntax error as a QueryError with the service message', async () => {
    const client = new QueryClient({ appId: emulator.resource().applicationId, credential: managedIdentity(DEFAULT_IDS.managedIdentityName), endpoint: emulator.queryEndpoint });
    const error = await client.query('requests | sumarize count()').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as Error).message).toMatch(/sumarize/);
  });

  it('works with a service principal (ClientSecretCredential, child process with NODE_EXTRA_CA_CERTS), and explains 403 for one without Reader', async () => {
    requireBuilt('query/dist/query-client.js');
    const script = path.join(REPO_ROOT, 'scripts', 'demo', 'run-queries.cjs');
    const run = (identity: string) => {
      const sp = emulator.servicePrincipal(identity);
      return runNode([script], {
        NODE_EXTRA_CA_CERTS: emulator.caCertPath,
        AZURE_TENANT_ID: sp.tenantId, AZURE_CLIENT_ID: sp.clientId, AZURE_CLIENT_SECRET: sp.clientSecret, AZURE_AUTHORITY_HOST: sp.authorityHost,
        QUERY_APP_ID: emulator.resource().applicationId, QUERY_ENDPOINT: emulator.queryEndpoint,
        QUERIES: JSON.stringify(['requests | take 10', 'traces | project message']),
      });
    };
    const good = await run(DEFAULT_IDS.servicePrincipalName);
    expect(good.stderr).not.toContain('NETWORK GUARD');
    expect(good.code).toBe(0);
    const [requests, traces] = jsonLines<{ ok: boolean; tables: Array<{ rows: unknown[][] }> }>(good.stdout);
    expect(requests!.ok).toBe(true);
    expect(requests!.tables[0]!.rows).toHaveLength(3);
    expect(traces!.tables[0]!.rows).toEqual([['seeded log']]);

    const denied = await run(DEFAULT_IDS.noRoleName);
    expect(denied.code).toBe(0);
    const [first] = jsonLines<{ ok: boolean; error: { name: string; statusCode: number; message: string } }>(denied.stdout);
    expect(first).toMatchObject({ ok: false, error: { name: 'AuthError', statusCode: 403 } });
    expect(first!.error.message).toContain(DEFAULT_IDS.noRoleClientId);
  });
});
