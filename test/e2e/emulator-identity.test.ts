// End-to-end: the REAL @azure/identity (ClientSecretCredential and ManagedIdentityCredential)
// against the emulator's token issuer, then ingestion enforcing Microsoft Entra ID.
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { postItems, requestEnvelope } from '../../packages/emulator/test/helpers/envelopes';

const MONITOR_SCOPE = 'https://monitor.azure.com/.default';

describe('emulator with the real @azure/identity', () => {
  let emu: EmulatorHandle;
  let skewMillis = 0;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    emu = await startEmulator({ now: () => Date.now() + skewMillis });
    // MSAL picks the managed identity source once per module registry: set the env before the first credential.
    Object.assign(process.env, emu.managedIdentityEnv('app-identity'));
  });
  afterAll(async () => {
    process.env = savedEnv;
    await emu.close();
  });
  afterEach(() => { skewMillis = 0; });

  const servicePrincipal = (name: string): ClientSecretCredential => {
    const sp = emu.servicePrincipal(name);
    // tlsOptions trusts the emulator's self-signed certificate in-process (no NODE_EXTRA_CA_CERTS needed).
    return new ClientSecretCredential(sp.tenantId, sp.clientId, sp.clientSecret, { authorityHost: sp.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
  };
  const credentials: [string, () => TokenCredential, () => TokenCredential][] = [
    ['ClientSecretCredential', () => servicePrincipal('ci-principal'), () => servicePrincipal('no-role')],
    ['ManagedIdentityCredential', () => new ManagedIdentityCredential(), () => new ManagedIdentityCredential({ clientId: emu.identity('no-role-identity').clientId })],
  ];
  const track = (token: string | undefined, version = 'v2.1') =>
    postItems(`${emu.ingestionUrl}/${version}/track`, [requestEnvelope(emu.resource().instrumentationKey)], { token, gzip: true });

  it.each(credentials)('%s with Monitoring Metrics Publisher: 200 and the item is stored', async (_name, withRole) => {
    const before = emu.countItems('requests');
    const token = await withRole().getToken(MONITOR_SCOPE);
    const res = await track(token?.token);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ itemsReceived: 1, itemsAccepted: 1, errors: [] });
    expect(emu.countItems('requests')).toBe(before + 1);
  });

  it.each(credentials)('%s without the role: 403 naming the role', async (_name, _withRole, withoutRole) => {
    const token = await withoutRole().getToken(MONITOR_SCOPE);
    const res = await track(token?.token);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Monitoring Metrics Publisher');
  });

  it.each(credentials)('%s token for the wrong audience: 401 invalid_token', async (_name, withRole) => {
    const token = await withRole().getToken('https://management.azure.com/.default');
    const res = await track(token?.token);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri="https:\/\/localhost:\d+\/[0-9a-f-]+", error="invalid_token", error_description=".*audience/);
  });

  it.each(credentials)('%s token that expired since it was issued: 401', async (_name, withRole) => {
    const token = await withRole().getToken(MONITOR_SCOPE);
    skewMillis = 2 * 3600 * 1000;
    const res = await track(token?.token);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('expired');
  });

  it('an expired token minted by issueToken: 401', async () => {
    const res = await track(emu.issueToken({ identity: 'ci-principal', expired: true }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('v2/track on a DisableLocalAuth resource: 400 authentication not supported, nothing stored', async () => {
    const before = emu.countItems('requests');
    const res = await track(undefined, 'v2');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/authentication not supported/i);
    expect(emu.countItems('requests')).toBe(before);
  });

  it('v2.1/track without a token on a DisableLocalAuth resource: 401 with a Bearer challenge', async () => {
    const res = await track(undefined);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
  });

  it('a wrong client secret fails in the credential with AADSTS7000215', async () => {
    const sp = emu.servicePrincipal('ci-principal');
    const bad = new ClientSecretCredential(sp.tenantId, sp.clientId, 'wrong', { authorityHost: sp.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
    await expect(bad.getToken(MONITOR_SCOPE)).rejects.toThrow(/AADSTS7000215/);
  });

  it('an unknown client id fails in the credential with AADSTS700016', async () => {
    const sp = emu.servicePrincipal('ci-principal');
    const bad = new ClientSecretCredential(sp.tenantId, '00000000-0000-4000-8000-000000000000', 'x', { authorityHost: sp.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
    await expect(bad.getToken(MONITOR_SCOPE)).rejects.toThrow(/AADSTS700016/);
  });

  it('a role granted at runtime takes effect; removing it brings 403 back', async () => {
    const token = emu.issueToken({ identity: 'no-role' });
    emu.assignRole('no-role', undefined, 'Monitoring Metrics Publisher');
    expect((await track(token)).status).toBe(200);
    emu.removeRole('no-role', undefined, 'Monitoring Metrics Publisher');
    expect((await track(token)).status).toBe(403);
  });

  it('never logs the token: the request log redacts Authorization', async () => {
    const token = emu.issueToken({ identity: 'ci-principal' });
    await track(token);
    const last = emu.requests().at(-1);
    expect(last?.headers['authorization']).toBe('Bearer <redacted>');
    expect(JSON.stringify(emu.requests())).not.toContain(token);
  });
});
