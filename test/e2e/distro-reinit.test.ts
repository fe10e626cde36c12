import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, runNode, useAppEmulator } from '../fixtures/apps/run-node';

/**
 * A second useAzureMonitor() re-initialises (as the official distro does from 1.19): in a real
 * child process with the real HTTP instrumentation, the first setup's telemetry reaches the first
 * resource, the second's the second resource, each request is recorded once (no double
 * instrumentation), and after shutdownAzureMonitor() the instrumentation is off.
 */
describe('useAzureMonitor() called twice (child process, Entra-only resources)', () => {
  const emulator = useAppEmulator();

  it('sends each setup\'s telemetry to its own resource, once, and shutdown disables the instrumentation', async () => {
    emulator.addResource({ name: 'reinit-second', disableLocalAuth: true });
    emulator.assignRole(DEFAULT_IDS.managedIdentityName, 'reinit-second', 'Monitoring Metrics Publisher');
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/cjs-app/reinit.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      REINIT_CONNECTION_STRING: emulator.connectionString('reinit-second'),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // the instrumented client propagated a context for the two requests under a setup, not after shutdown
    expect(jsonLines(run.stdout)).toEqual([{ statuses: [200, 200, 200], propagated: [true, true, false] }]);

    const names = (table: 'requests' | 'dependencies', resource: string) => emulator.items(table, resource).map((i) => i['name']);
    expect(names('requests', DEFAULT_IDS.resourceName)).toEqual(['GET /first']);
    expect(names('dependencies', DEFAULT_IDS.resourceName)).toEqual(['GET /first']);
    expect(names('requests', 'reinit-second')).toEqual(['GET /second']);
    expect(names('dependencies', 'reinit-second')).toEqual(['GET /second']);
  });
});
