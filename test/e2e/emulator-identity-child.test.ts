// The self-signed issuer certificate as users meet it: NODE_EXTRA_CA_CERTS is read only at process
// start, so the credential runs in a child process (with the network guard preloaded, fatal mode).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const GUARD = path.join(REPO_ROOT, 'scripts', 'network-guard.cjs');

// Gets a token with ClientSecretCredential (no custom TLS options) and posts one item with it.
const CHILD_SCRIPT = `
const { ClientSecretCredential } = require('@azure/identity');
const e = process.env;
const credential = new ClientSecretCredential(e.AZURE_TENANT_ID, e.AZURE_CLIENT_ID, e.AZURE_CLIENT_SECRET,
  { authorityHost: e.AZURE_AUTHORITY_HOST, disableInstanceDiscovery: true });
credential.getToken('https://monitor.azure.com/.default').then(async (t) => {
  const item = { name: 'Microsoft.ApplicationInsights.Event', time: new Date().toISOString(), iKey: e.TEST_IKEY,
    data: { baseType: 'EventData', baseData: { ver: 2, name: 'child-event' } } };
  const res = await fetch(e.TEST_TRACK_URL, { method: 'POST', body: JSON.stringify([item]), headers: { authorization: 'Bearer ' + t.token } });
  console.log(JSON.stringify({ status: res.status }));
}, (err) => console.log(JSON.stringify({ error: String(err && err.message) })));
`;

function runChild(env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', GUARD, '-e', CHILD_SCRIPT], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('emulator certificate through NODE_EXTRA_CA_CERTS (child process)', () => {
  let emu: EmulatorHandle;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    emu = await startEmulator();
    const sp = emu.servicePrincipal();
    baseEnv = {
      AZURE_TENANT_ID: sp.tenantId, AZURE_CLIENT_ID: sp.clientId, AZURE_CLIENT_SECRET: sp.clientSecret, AZURE_AUTHORITY_HOST: sp.authorityHost,
      TEST_IKEY: emu.resource().instrumentationKey, TEST_TRACK_URL: `${emu.ingestionUrl}/v2.1/track`,
    };
  });
  afterAll(() => emu.close());

  it('ClientSecretCredential trusts the issuer with NODE_EXTRA_CA_CERTS and ingestion accepts its token', async () => {
    const result = await runChild({ ...baseEnv, NODE_EXTRA_CA_CERTS: emu.caCertPath });
    expect(result.stderr).not.toContain('NETWORK GUARD');
    expect(JSON.parse(result.stdout.trim())).toEqual({ status: 200 });
    expect(emu.items('customEvents').map((i) => i['name'])).toContain('child-event');
  });

  it('without NODE_EXTRA_CA_CERTS the credential refuses the self-signed certificate', async () => {
    const result = await runChild(baseEnv);
    expect(result.stderr).not.toContain('NETWORK GUARD');
    expect(JSON.parse(result.stdout.trim()).error).toMatch(/certificate|endpoints_resolution_error/i); // MSAL reports the TLS failure as unresolvable endpoints
  });
});
