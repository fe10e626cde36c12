import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { runCli } from '../../packages/distro/src/cli/run-cli';

/** The doctor's live-metrics step against the emulator: one ping, the same verdicts as ingestion. */
describe('appinsights-otel doctor: the live-metrics step', () => {
  let emulator: EmulatorHandle;
  const saved = { IDENTITY_ENDPOINT: process.env['IDENTITY_ENDPOINT'], IDENTITY_HEADER: process.env['IDENTITY_HEADER'] };

  beforeAll(async () => {
    emulator = await startEmulator();
    Object.assign(process.env, emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName));
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
    await emulator.close();
  });
  beforeEach(() => emulator.liveMetrics.clear());

  async function doctor(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; text: string }> {
    let text = '';
    const code = await runCli(['doctor', ...argv], env, (t) => { text += `${t}\n`; });
    return { code, text };
  }

  it('all good: one ping with the token, and whether someone is watching', async () => {
    emulator.liveMetrics.subscribe();
    try {
      const { code, text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString() }, '--auth-string', 'Authorization=AAD');
      expect(code).toBe(0);
      expect(text).toMatch(/\[OK {2}\] live-metrics http:\/\/127\.0\.0\.1:\d+ answered the Live Metrics ping \(someone is watching Live Metrics now\)/);
    } finally {
      emulator.liveMetrics.unsubscribe();
    }
    expect(emulator.liveMetrics.received()).toEqual([expect.objectContaining({ operation: 'ping', status: 200, objectId: DEFAULT_IDS.managedIdentityObjectId })]);
  });

  it('missing role: 403 names the identity and the role, with the fix', async () => {
    const { code, text } = await doctor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${DEFAULT_IDS.noRoleManagedIdentityClientId}`,
    });
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`\\[FAIL\\] live-metrics 403 from .*oid=${DEFAULT_IDS.noRoleManagedIdentityObjectId}.* lacks the Monitoring Metrics Publisher role`));
    expect(text).toContain('fix: assign the Monitoring Metrics Publisher role to this identity');
    expect(emulator.liveMetrics.received()).toHaveLength(1); // ONE ping
  });

  it('no credential on an Entra-only resource: 400 explained', async () => {
    const { text } = await doctor({ APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString() });
    expect(text).toMatch(/\[FAIL\] live-metrics 400 from .*accepts only Microsoft Entra ID authenticated telemetry/);
  });

  it('wrong audience: 401 explained with the scope used', async () => {
    const { text } = await doctor({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `${emulator.connectionString()};AADAudience=https://monitor.azure.us`,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    });
    expect(text).toMatch(/\[FAIL\] live-metrics 401 from .*token rejected \(401\).*https:\/\/monitor\.azure\.us\/\.default/);
    expect(text).not.toMatch(/eyJ[\w-]{10,}/);
  });
});
