import { generateKeyPairSync, createSign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { generate } from 'selfsigned';
import { jsonLines, REPO_ROOT, requireBuilt, runNode, useAppEmulator } from '../fixtures/apps/run-node';

/**
 * The configuration file alone sets up Microsoft Entra ID: `WORKLOADIDENTITY` with the variables
 * AKS sets (a federated token file the test writes, signed by a key the emulator trusts), and
 * `CLIENTCERTIFICATE` (a certificate the test makes, registered on the identity). Child processes
 * with the real @azure/identity; the authority host is the emulator (trusted through
 * NODE_EXTRA_CA_CERTS), instance discovery off, so nothing but loopback is contacted.
 */
describe('credentials from the configuration file alone (child processes, Entra-only resource)', () => {
  const emulator = useAppEmulator();
  const dir = mkdtempSync(path.join(tmpdir(), 'file-credentials-'));
  const app = path.join(REPO_ROOT, 'test/fixtures/apps/cjs-app/config-file-only.cjs');
  const baseEnv = (authentication: Record<string, unknown>): Record<string, string> => ({
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ connectionString: emulator.connectionString(), authentication, disableOfflineStorage: true }),
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
  });

  /** A workload identity with the Monitoring Metrics Publisher role, and a federated token file for it signed by a key the emulator trusts. */
  function workloadIdentity(): { clientId: string; tokenFile: string } {
    const issuer = 'https://oidc.cluster.test/workload/';
    const subject = 'system:serviceaccount:shop:checkout';
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const identity = emulator.addIdentity({ name: `wi-${Date.now()}-${Math.random().toString(36).slice(2)}`, kind: 'managedIdentity' });
    emulator.assignRole(identity.name, undefined, 'Monitoring Metrics Publisher');
    emulator.trustFederatedIssuer(identity.name, { issuer, subject, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: issuer, sub: subject, aud: 'api://AzureADTokenExchange', iat: now, exp: now + 3600 })}`;
    const tokenFile = path.join(dir, `token-${identity.name}`);
    writeFileSync(tokenFile, `${body}.${createSign('RSA-SHA256').update(body).sign(keys.privateKey).toString('base64url')}`);
    return { clientId: identity.clientId, tokenFile };
  }

  it('WORKLOADIDENTITY: { "type": "WORKLOADIDENTITY", "enabled": true } and the AKS variables', async () => {
    const { clientId, tokenFile } = workloadIdentity();
    const run = await runNode([app], {
      ...baseEnv({ enabled: true, type: 'WORKLOADIDENTITY' }),
      AZURE_CLIENT_ID: clientId, AZURE_TENANT_ID: emulator.tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    });
    expect(run.stderr).toBe('');
    expect(jsonLines(run.stdout)).toEqual([{ done: true }]);
    expect(emulator.items('requests').map((r) => r['name'])).toEqual(['GET /from-config-file']);
  });

  it('the doctor (built bin) says which credential it built from the file and where each part came from, and gets a token', async () => {
    requireBuilt('distro/dist/cli.js');
    const { clientId, tokenFile } = workloadIdentity();
    const run = await runNode([path.join(REPO_ROOT, 'packages', 'distro', 'dist', 'cli.js'), 'doctor'], {
      ...baseEnv({ enabled: true, type: 'WORKLOADIDENTITY' }),
      AZURE_CLIENT_ID: clientId, AZURE_TENANT_ID: emulator.tenantId, AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    });
    expect(run.stdout).toContain(`workload identity (client id ${clientId} from AZURE_CLIENT_ID, tenant ${emulator.tenantId} from AZURE_TENANT_ID, `
      + `federated token file ${tokenFile} from AZURE_FEDERATED_TOKEN_FILE) via ${emulator.authorityHost}, from the configuration file's "authentication" (type WORKLOADIDENTITY)`);
    expect(run.stdout).toMatch(/\[OK {2}\] token /);
    expect(run.stdout).toContain('verdict: all good');
    expect(run.code).toBe(0);
  });

  it('CLIENTCERTIFICATE: clientId, tenantId and certificatePath in the block', async () => {
    const pems = await generate([{ name: 'commonName', value: 'file credential test' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
    const identity = emulator.addIdentity({ name: `cert-${Date.now()}`, kind: 'servicePrincipal' });
    emulator.assignRole(identity.name, undefined, 'Monitoring Metrics Publisher');
    emulator.trustCertificate(identity.name, pems.cert);
    const certificatePath = path.join(dir, 'sp.pem');
    writeFileSync(certificatePath, `${pems.private}\n${pems.cert}`);

    const run = await runNode([app], baseEnv({ enabled: true, type: 'CLIENTCERTIFICATE', clientId: identity.clientId, tenantId: emulator.tenantId, certificatePath }));
    expect(run.stderr).toBe('');
    expect(jsonLines(run.stdout)).toEqual([{ done: true }]);
    expect(emulator.items('requests').map((r) => r['name'])).toEqual(['GET /from-config-file']);
  });
});
