// `appinsights-otel doctor --relay-url` against the real browser relay (not a stand-in): the relay on
// a node:http app forwards to the emulator in Entra-only mode with the server's credential, and the
// doctor sees its page view accepted, landed in pageViews under the browser role, no token in the answer.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { createBrowserRelay, type BrowserRelay } from '@appinsights-otel/browser-relay';
import { runDoctorWithEmulatorIdentity, type DoctorRun } from '../fixtures/doctor/run-doctor-with-emulator-identity';

describe('appinsights-otel doctor --relay-url against @appinsights-otel/browser-relay', () => {
  let emulator: EmulatorHandle;
  let relay: BrowserRelay;
  let server: http.Server;
  let base: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    emulator = await startEmulator({ inMemory: true });
    const credential: TokenCredential = {
      getToken: async () => ({ token: emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName }), expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    relay = createBrowserRelay({ connectionString: emulator.connectionString(), credential, disableOfflineStorage: true, serviceName: 'shop' });
    server = http.createServer((req, res) => relay.handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    process.env = savedEnv;
    await relay.shutdown(2_000);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
  });

  const doctor = (...argv: string[]): Promise<DoctorRun> => runDoctorWithEmulatorIdentity(emulator, ...argv);

  it('the page view is accepted and lands in pageViews under <service>-browser, exit 0', async () => {
    const { code, text } = await doctor('--relay-url', `${base}/ai-relay`);
    expect(text).toMatch(/\[OK {2}\] relay +http:\/\/127\.0\.0\.1:\d+\/ai-relay\/v2\/track accepted the page view/);
    expect(text).toMatch(/\[OK {2}\] relay-stored +the page view landed in pageViews \(cloud_RoleName shop-browser\)/);
    expect(code).toBe(0);
  });

  it('a page on another origin: the relay\'s 403 is explained, exit 1', async () => {
    const { code, text } = await doctor('--relay-url', `${base}/ai-relay`, '--origin', 'https://evil.example');
    expect(text).toMatch(/\[FAIL\] relay +403 from .*https:\/\/evil\.example.*neither the app's own nor one of allowedOrigins/);
    expect(code).toBe(1);
  });
});
