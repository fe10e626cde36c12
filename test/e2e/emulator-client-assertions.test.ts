// The emulator's token issuer accepts the client assertions the REAL @azure/identity sends: a
// certificate-signed assertion (ClientCertificateCredential, certificate made here) and a federated
// token read from a file (WorkloadIdentityCredential, AKS style, token signed here by a key the
// emulator trusts as a federated issuer). Authority host = the emulator; instance discovery off.
import { generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCertificateCredential, WorkloadIdentityCredential, type TokenCredential } from '@azure/identity';
import { generate } from 'selfsigned';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { postItems, requestEnvelope } from '../../packages/emulator/test/helpers/envelopes';

const MONITOR_SCOPE = 'https://monitor.azure.com/.default';
const FEDERATED_ISSUER = 'https://oidc.cluster.test/11111111-0000-4000-8000-000000000000/';
const SUBJECT = 'system:serviceaccount:shop:checkout';

/** An RSA certificate with its private key, PEM (what a certificate service principal is given). */
async function makeCertificate(): Promise<{ certificatePem: string; bundlePem: string }> {
  const pems = await generate([{ name: 'commonName', value: 'appinsights-otel test principal' }], { keyType: 'rsa', keySize: 2048, algorithm: 'sha256' });
  return { certificatePem: pems.cert, bundlePem: `${pems.private}\n${pems.cert}` };
}

/** A federated token (JWT, RS256) as the cluster's OIDC issuer would mint it for a service account. */
function federatedToken(key: KeyObject, claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'cluster-key' })}.${encode({ iss: FEDERATED_ISSUER, sub: SUBJECT, aud: ['api://AzureADTokenExchange'], iat: now, nbf: now, exp: now + 3600, ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('emulator issuer: client assertions from the real @azure/identity', () => {
  let emu: EmulatorHandle;
  let dir: string;
  const clusterKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const identityOptions = () => ({ authorityHost: emu.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
  const track = (token: string) => postItems(`${emu.ingestionUrl}/v2.1/track`, [requestEnvelope(emu.resource().instrumentationKey)], { token, gzip: true });
  const tokenOf = async (credential: TokenCredential) => (await credential.getToken(MONITOR_SCOPE))?.token ?? '';

  beforeAll(async () => {
    emu = await startEmulator();
    dir = mkdtempSync(join(tmpdir(), 'client-assertions-'));
    emu.addIdentity({ name: 'cert-principal', kind: 'servicePrincipal' });
    emu.assignRole('cert-principal', undefined, 'Monitoring Metrics Publisher');
    emu.addIdentity({ name: 'workload-identity', kind: 'managedIdentity' });
    emu.assignRole('workload-identity', undefined, 'Monitoring Metrics Publisher');
    emu.trustFederatedIssuer('workload-identity', { issuer: FEDERATED_ISSUER, subject: SUBJECT, publicKeyPem: clusterKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  });
  afterAll(() => emu.close());

  it('ClientCertificateCredential with a registered certificate: a token ingestion accepts', async () => {
    const { certificatePem, bundlePem } = await makeCertificate();
    emu.trustCertificate('cert-principal', certificatePem);
    const certificatePath = join(dir, 'principal.pem');
    writeFileSync(certificatePath, bundlePem);
    const credential = new ClientCertificateCredential(emu.tenantId, emu.identity('cert-principal').clientId, { certificatePath }, identityOptions());
    const token = await tokenOf(credential);
    expect(claimsOf(token)).toMatchObject({ appid: emu.identity('cert-principal').clientId, oid: emu.identity('cert-principal').objectId });
    expect((await track(token)).status).toBe(200);
  });

  it('ClientCertificateCredential with a certificate the identity does not have: AADSTS700027', async () => {
    const { bundlePem } = await makeCertificate();
    const certificatePath = join(dir, 'unregistered.pem');
    writeFileSync(certificatePath, bundlePem);
    const credential = new ClientCertificateCredential(emu.tenantId, emu.identity('cert-principal').clientId, { certificatePath }, identityOptions());
    await expect(credential.getToken(MONITOR_SCOPE)).rejects.toThrow(/AADSTS700027/);
  });

  it('WorkloadIdentityCredential with a federated token file: a token ingestion accepts', async () => {
    const tokenFilePath = join(dir, 'azure-identity-token');
    writeFileSync(tokenFilePath, federatedToken(clusterKeys.privateKey, {}));
    const credential = new WorkloadIdentityCredential({ tenantId: emu.tenantId, clientId: emu.identity('workload-identity').clientId, tokenFilePath, ...identityOptions() });
    const token = await tokenOf(credential);
    expect(claimsOf(token)).toMatchObject({ appid: emu.identity('workload-identity').clientId, oid: emu.identity('workload-identity').objectId });
    expect((await track(token)).status).toBe(200);
  });

  it.each<[string, () => string, RegExp]>([
    ['another service account', () => federatedToken(clusterKeys.privateKey, { sub: 'system:serviceaccount:shop:other' }), /AADSTS70021/],
    ['a token signed by a key the emulator does not trust', () => federatedToken(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, {}), /AADSTS700211/],
    ['an expired token', () => federatedToken(clusterKeys.privateKey, { exp: Math.floor(Date.now() / 1000) - 3600 }), /AADSTS700024/],
    ['another issuer', () => federatedToken(clusterKeys.privateKey, { iss: 'https://oidc.elsewhere.test/' }), /AADSTS70021/],
  ])('WorkloadIdentityCredential refused: %s', async (_name, token, error) => {
    const tokenFilePath = join(dir, `token-${Math.random().toString(36).slice(2)}`);
    writeFileSync(tokenFilePath, token());
    const credential = new WorkloadIdentityCredential({ tenantId: emu.tenantId, clientId: emu.identity('workload-identity').clientId, tokenFilePath, ...identityOptions() });
    await expect(credential.getToken(MONITOR_SCOPE)).rejects.toThrow(error);
  });
});
