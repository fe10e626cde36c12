import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, requireBuilt, runNode, useAppEmulator } from '../fixtures/apps/run-node';

/**
 * The session token is in the relay's URL path. The server's own telemetry (useAzureMonitor, no
 * filterRequests) records the relay's request; its url and name must not carry the token (anyone
 * who can read the resource would otherwise hold working tokens, and every token would be a
 * request name of its own).
 */
describe('browser relay: the session token stays out of the server\'s own requests', () => {
  const emulator = useAppEmulator();

  it('the relay\'s request is recorded with :token in place of the token (url and name)', async () => {
    requireBuilt('browser-relay/dist/index.js');
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/relay-token/app.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const [printed] = jsonLines<{ token: string; status: number }>(run.stdout);
    expect(printed?.status).toBe(200);
    const token = printed?.token ?? '';
    expect(token).toMatch(/^v1\./);
    expect(emulator.items('pageViews')).toHaveLength(1);
    const requests = emulator.items('requests');
    const relayRequest = requests.find((r) => String(r['url']).includes('/ai-relay/'));
    expect(relayRequest).toMatchObject({ url: expect.stringMatching(/\/ai-relay\/:token\/v2\/track$/) as unknown, name: 'POST /ai-relay/:token/v2/track' });
    expect(JSON.stringify(requests)).not.toContain(token);
    expect(JSON.stringify(emulator.items('dependencies'))).not.toContain(token);
  }, 60_000);
});
