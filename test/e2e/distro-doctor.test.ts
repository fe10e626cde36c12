import * as path from 'node:path';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { runCli } from '../../packages/distro/src/cli/run-cli';
import { entraOnlyResourceMessage, missingRoleMessage } from '../../packages/core/src/diag/failure-messages';
import { REPO_ROOT, requireBuilt, runNode } from '../fixtures/apps/run-node';

describe('appinsights-otel doctor against the emulator (Entra-only resource)', () => {
  let emulator: EmulatorHandle;
  const savedEnv = { ...process.env };

  beforeAll(async () => { emulator = await startEmulator(); });
  afterAll(async () => { await emulator.close(); });
  afterEach(() => {
    for (const key of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) {
      if (savedEnv[key] === undefined) delete process.env[key]; else process.env[key] = savedEnv[key];
    }
  });

  /** Runs the CLI in-process; managed identities resolve through the emulator's App Service endpoint. */
  async function doctor(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; text: string }> {
    Object.assign(process.env, emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName));
    let text = '';
    const code = await runCli(['doctor', ...argv], env, (t) => { text += `${t}\n`; });
    return { code, text };
  }

  it('no credential on an Entra-only resource: 400 explained, exit 1', async () => {
    const { code, text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString() });
    expect(code).toBe(1);
    expect(text).toMatch(/\[OK {2}\] config +instrumentation key 11111111\.\.\./);
    expect(text).toMatch(/\[WARN\] credential +no Microsoft Entra ID credential/);
    expect(text).toMatch(/\[FAIL\] ingestion +400 .*accepts only Microsoft Entra ID authenticated telemetry/);
    expect(text).toContain(entraOnlyResourceMessage()); // the exporters' own words
    expect(text).not.toContain(DEFAULT_IDS.instrumentationKey); // masked
  });

  it('wrong audience (AADAudience of another cloud): audience and 401 explained, exit 1', async () => {
    const { code, text } = await doctor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `${emulator.connectionString()};AADAudience=https://monitor.azure.us`,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    });
    expect(code).toBe(1);
    expect(text).toMatch(/\[OK {2}\] token +acquired for https:\/\/monitor\.azure\.us\/\.default: aud https:\/\/monitor\.azure\.us/);
    expect(text).toMatch(/\[FAIL\] audience +token audience https:\/\/monitor\.azure\.us is for the usgov cloud, but the ingestion endpoint .* is in the public cloud/);
    expect(text).toMatch(/\[FAIL\] ingestion +401 /);
    expect(text).not.toMatch(/eyJ[\w-]{10,}/); // never a token
  });

  it('the query API\'s audience (--audience https://api.applicationinsights.io): the audience step fails, not OK', async () => {
    const { code, text } = await doctor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    }, '--audience', 'https://api.applicationinsights.io');
    expect(code).toBe(1);
    expect(text).toMatch(/\[OK {2}\] token +acquired for https:\/\/api\.applicationinsights\.io\/\.default/);
    expect(text).toMatch(/\[FAIL\] audience +token audience https:\/\/api\.applicationinsights\.io is the Application Insights query API's \(for reading telemetry\), not ingestion's/);
    expect(text).toContain('fix: remove or correct the --audience flag (for the public cloud the ingestion audience is https://monitor.azure.com)');
    expect(text).toMatch(/\[FAIL\] ingestion +401 /);
  });

  it('a service principal without NODE_EXTRA_CA_CERTS: the untrusted emulator certificate is named, not the tenant or secret', async () => {
    const sp = emulator.servicePrincipal(DEFAULT_IDS.servicePrincipalName);
    const saved = process.env['NODE_EXTRA_CA_CERTS'];
    delete process.env['NODE_EXTRA_CA_CERTS']; // only for the wording: this process never trusted the emulator's CA
    try {
      const { code, text } = await doctor({
        APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
        AZURE_TENANT_ID: sp.tenantId, AZURE_CLIENT_ID: sp.clientId, AZURE_CLIENT_SECRET: sp.clientSecret, AZURE_AUTHORITY_HOST: sp.authorityHost,
      }, '--timeout', '10000');
      expect(code).toBe(1);
      expect(text).toMatch(new RegExp(`\\[FAIL\\] token +no token for https://monitor\\.azure\\.com/\\.default: the TLS certificate of ${sp.authorityHost.replace(/[.]/g, '\\.')} is not trusted by this process \\((SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\\)`));
      expect(text).toContain('fix: NODE_EXTRA_CA_CERTS is not set; set NODE_EXTRA_CA_CERTS to the CA certificate file (PEM)');
      expect(text).not.toMatch(/tenant id|client id and|client secret/i);
      expect(text).not.toContain(sp.clientSecret);
    } finally {
      if (saved !== undefined) process.env['NODE_EXTRA_CA_CERTS'] = saved;
    }
  });

  it('missing role: 403 names the identity and the Monitoring Metrics Publisher role, exit 1', async () => {
    const { code, text } = await doctor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${DEFAULT_IDS.noRoleManagedIdentityClientId}`,
    });
    expect(code).toBe(1);
    expect(text).toMatch(/\[OK {2}\] credential +managed identity \(user-assigned, client id 9c9c9c9c/);
    expect(text).toMatch(/\[OK {2}\] audience/);
    expect(text).toMatch(new RegExp(`\\[FAIL\\] ingestion +403 .*oid=${DEFAULT_IDS.noRoleManagedIdentityObjectId}.* lacks the Monitoring Metrics Publisher role`));
    expect(text).toContain(missingRoleMessage({ appid: DEFAULT_IDS.noRoleManagedIdentityClientId, oid: DEFAULT_IDS.noRoleManagedIdentityObjectId, tid: emulator.tenantId }));
  });

  it('all good with a managed identity: every step OK, the test item stored, exit 0', async () => {
    emulator.clearItems();
    const { code, text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString() }, '--auth-string', 'Authorization=AAD');
    expect(text).toContain('verdict: all good');
    expect(code).toBe(0);
    expect(text.match(/\[OK {2}\]/g)).toHaveLength(6); // config, credential, token, audience, ingestion, live-metrics
    expect(emulator.items('traces').map((t) => t['message'])).toEqual(['appinsights-otel doctor test item']);
  });

  it('--json prints the steps as data', async () => {
    const { code, text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString() }, '--json', '--no-send');
    expect(code).toBe(0); // a warning (no credential) is not a failure; nothing was sent
    const report = JSON.parse(text) as { healthy: boolean; steps: Array<{ step: string; status: string }> };
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['config', 'ok'], ['credential', 'warn'], ['token', 'skip'], ['audience', 'skip'], ['ingestion', 'skip'], ['live-metrics', 'skip']]);
  });

  it('a malformed connection string fails the config step without echoing it', async () => {
    const { code, text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=SECRETISH' });
    expect(code).toBe(1);
    expect(text).toMatch(/\[FAIL\] config +connection string rejected/);
    expect(text).not.toContain('SECRETISH');
  });

  it('--version prints the distro\'s version, exit 0', async () => {
    const { version } = require('../../packages/distro/package.json') as { version: string };
    for (const flag of ['--version', '-v']) {
      let text = '';
      expect(await runCli([flag], {}, (t) => { text += t; })).toBe(0);
      expect(text).toBe(version);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await doctor({}, '--bogus')).code).toBe(2);
    expect((await runCli([], {}, () => undefined))).toBe(2);
  });

  it('the built bin, with a service principal from AZURE_* (child process, NODE_EXTRA_CA_CERTS): all good', async () => {
    requireBuilt('distro/dist/cli.js');
    const sp = emulator.servicePrincipal(DEFAULT_IDS.servicePrincipalName);
    const run = await runNode([path.join(REPO_ROOT, 'packages', 'distro', 'dist', 'cli.js'), 'doctor'], {
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      AZURE_TENANT_ID: sp.tenantId, AZURE_CLIENT_ID: sp.clientId, AZURE_CLIENT_SECRET: sp.clientSecret, AZURE_AUTHORITY_HOST: sp.authorityHost,
    });
    expect(run.stderr).not.toContain('NETWORK GUARD');
    expect(run.stdout).toMatch(/\[OK {2}\] credential +service principal 5e5e5e5e/);
    expect(run.stdout).toContain('verdict: all good');
    expect(run.stdout).not.toContain(sp.clientSecret);
    expect(run.code).toBe(0);
  });
});
