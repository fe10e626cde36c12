// `appinsights-otel doctor --relay-url` end to end: the doctor posts a synthetic browser page view to
// a local server standing in for a browser relay, and with the emulator's connection string checks
// that it landed in pageViews. The stand-in forwards like a relay (same origin only, the server's
// key and role, the server's bearer token to v2.1/track) or drops what it accepted.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { runDoctorWithEmulatorIdentity, type DoctorRun } from '../fixtures/doctor/run-doctor-with-emulator-identity';

type Mode = 'forward' | 'drop';

describe('appinsights-otel doctor --relay-url', () => {
  let emulator: EmulatorHandle;
  let relay: http.Server;
  let relayBase: string;
  let mode: Mode = 'forward';
  const forwarded: number[] = [];
  const savedEnv = { ...process.env };

  /** Forwards the page's items to the emulator as a relay would; answers with ingestion's answer. */
  async function forward(body: string): Promise<{ status: number; text: string }> {
    const items = (JSON.parse(body) as Record<string, unknown>[]).map((item) => ({
      ...item, iKey: emulator.resource().instrumentationKey, tags: { ...(item['tags'] as object), 'ai.cloud.role': 'shop-browser' },
    }));
    const res = await fetch(`${emulator.ingestionUrl}/v2.1/track`, {
      method: 'POST', body: JSON.stringify(items),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName })}` },
    });
    forwarded.push(res.status);
    return { status: res.status, text: await res.text() };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ inMemory: true });
    relay = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.headers.origin !== `http://${req.headers.host}`) {
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 403, message: 'the page\'s origin is not the app\'s own' }] }));
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = mode === 'forward' ? forward(body) : Promise.resolve({ status: 200, text: JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }) });
        void answer.then((a) => res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.text));
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    relayBase = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    relay.closeAllConnections();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
    await emulator.close();
  });
  afterEach(() => {
    for (const key of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) {
      if (savedEnv[key] === undefined) delete process.env[key]; else process.env[key] = savedEnv[key];
    }
  });

  const doctor = (...argv: string[]): Promise<DoctorRun> => runDoctorWithEmulatorIdentity(emulator, ...argv);

  it('a relay that forwards: the page view is accepted and lands in pageViews under the server\'s role, exit 0', async () => {
    mode = 'forward';
    const { code, text } = await doctor('--relay-url', `${relayBase}/ai-relay`);
    expect(text).toMatch(/\[OK {2}\] relay +http:\/\/127\.0\.0\.1:\d+\/ai-relay\/v2\/track accepted the page view/);
    expect(text).toMatch(/\[OK {2}\] relay-stored +the page view landed in pageViews \(cloud_RoleName shop-browser\)/);
    expect(code).toBe(0);
    expect(forwarded.at(-1)).toBe(200); // the emulator took the doctor's page view as it takes the browser SDK's
    expect(emulator.items('pageViews').some((i) => String(i['name']).startsWith('appinsights-otel doctor relay check '))).toBe(true);
  });

  it('a relay that accepts but never delivers: relay OK, relay-stored fails after --timeout, exit 1', async () => {
    mode = 'drop';
    const { code, text } = await doctor('--relay-url', `${relayBase}/ai-relay`, '--timeout', '1500');
    expect(text).toMatch(/\[OK {2}\] relay /);
    expect(text).toMatch(/\[FAIL\] relay-stored +the relay accepted the page view, but it is not in pageViews after 1.5 s/);
    expect(text).toMatch(/fix: check that the relay forwards to this connection string's resource/);
    expect(code).toBe(1);
  });

  it('a page on another origin: 403 explained with the origin, relay-stored skipped, exit 1', async () => {
    mode = 'forward';
    const { code, text } = await doctor('--relay-url', `${relayBase}/ai-relay`, '--origin', 'https://evil.example');
    expect(text).toMatch(/\[FAIL\] relay +403 from .*: the relay refused a page on https:\/\/evil\.example: 403 the page's origin is not the app's own/);
    expect(text).toMatch(/\[SKIP\] relay-stored +the relay did not accept the page view/);
    expect(code).toBe(1);
  });

  it.each([['--relay-url', 'ftp://x'], ['--relay-url', 'not a url'], ['--origin', 'nope']])('refuses %s %s as a usage error (exit 2)', async (flag, value) => {
    const { code, text } = await doctor('--relay-url', `${relayBase}/ai-relay`, flag, value);
    expect(code).toBe(2);
    expect(text).toContain(`${flag} must be an http or https URL`);
  });
});
