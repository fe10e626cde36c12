import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, runNode, useAppEmulator } from '../fixtures/apps/run-node';

/**
 * CommonJS and ES module apps, each a child process instrumented by the distro with a managed
 * identity through the emulator, deliver requests, dependencies, logs and metrics, and exit cleanly
 * after shutdownAzureMonitor().
 */
describe('distro in real apps (child processes, Entra-only resource)', () => {
  const emulator = useAppEmulator();

  const baseEnv = (): Record<string, string> => ({
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
  });

  function expectDelivered(app: 'cjs' | 'esm'): void {
    const requests = emulator.items('requests');
    const work = requests.find((r) => String(r['url']).endsWith('/work'));
    const fail = requests.find((r) => String(r['url']).endsWith('/fail'));
    expect(work).toMatchObject({ resultCode: '200', success: true });
    expect(fail).toMatchObject({ resultCode: '500', success: false });
    // the outgoing call made while serving /work is a dependency of that request's operation
    const dependency = emulator.items('dependencies').find((d) => d['name'] === 'GET /downstream');
    expect(dependency).toBeDefined();
    expect(dependency!['operation_Id']).toBe(work!['operation_Id']);
    expect(emulator.items('traces').map((t) => t['message']).sort()).toEqual([`${app} failing on purpose`, `${app} work done (downstream 200)`]);
    expect(emulator.items('customMetrics').filter((m) => m['name'] === 'fixture.orders').map((m) => m['value'])).toEqual([1]);
    // exporting never traces itself: no dependency to the emulator (token or ingestion requests)
    expect(emulator.items('dependencies').filter((d) => String(d['target']).includes(String(emulator.port)))).toEqual([]);
  }

  it('CommonJS app: useAzureMonitor({ credential: new ManagedIdentityCredential() })', async () => {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/cjs-app/app.cjs')], baseEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ app: 'cjs', statuses: [200, 500] })]);
    expectDelivered('cjs');
  });

  it('ES module app: node --import @appinsights-otel/distro/register, managed identity from APPLICATIONINSIGHTS_AUTHENTICATION_STRING', async () => {
    const run = await runNode(['--import', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/apps/esm-app/app.mjs')], {
      ...baseEnv(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ app: 'esm', statuses: [200, 500] })]);
    expectDelivered('esm');
  });

  it('ES module app that never calls shutdownAzureMonitor(): register flushes before the process exits', async () => {
    const run = await runNode(['--import', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/apps/esm-app/no-shutdown.mjs')], {
      ...baseEnv(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(emulator.items('requests').map((r) => r['name'])).toEqual(['GET /no-explicit-shutdown']);
  });

  it('a missing connection string: the app still runs and exits 0, with one clear error line', async () => {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/cjs-app/app.cjs')], { ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName) });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([expect.objectContaining({ statuses: [200, 500] })]);
    const errorLines = run.stderr.split('\n').filter((l) => l.includes('connection string'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('APPLICATIONINSIGHTS_CONNECTION_STRING');
    expect(emulator.countItems('requests')).toBe(0);
  });
});
