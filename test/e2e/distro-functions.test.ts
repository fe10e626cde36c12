import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { REPO_ROOT, requireBuilt, runNode } from '../fixtures/apps/run-node';

/**
 * Azure Functions: no Functions host can run here, so a fake `@azure/functions-core` (the module
 * the Node.js worker provides) is put on NODE_PATH and plays the worker's part of one invocation.
 * The app runs under `--require @appinsights-otel/distro/register` with FUNCTIONS_WORKER_RUNTIME=node.
 */
describe('distro under Azure Functions (fake worker module, emulator)', () => {
  let emulator: EmulatorHandle;
  let modules: string;

  beforeAll(async () => {
    requireBuilt('distro/dist/register.js', 'distro/dist/setup/register-functions-hook.js');
    emulator = await startEmulator();
    modules = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-functions-core-')), 'node_modules');
    const dir = path.join(modules, '@azure', 'functions-core');
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.copyFile(path.join(REPO_ROOT, 'test/fixtures/functions/fake-functions-core.cjs'), path.join(dir, 'index.js'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (modules !== undefined) await fs.promises.rm(path.dirname(modules), { recursive: true, force: true });
  });

  it('spans and logs of an invocation join the host\'s operation (traceparent from the invocation context)', async () => {
    const hostTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const hostSpanId = '00f067aa0ba902b7';
    const run = await runNode(['--require', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/functions/invocation-app.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
      FUNCTIONS_WORKER_RUNTIME: 'node',
      FUNCTIONS_EXTENSION_VERSION: '~4',
      WEBSITE_SITE_NAME: 'orders-func',
      NODE_PATH: modules,
      HOST_TRACEPARENT: `00-${hostTraceId}-${hostSpanId}-01`,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('DONE');
    const work = emulator.items('dependencies').find((d) => d['name'] === 'function work');
    expect(work).toMatchObject({ operation_Id: hostTraceId, operation_ParentId: hostSpanId, cloud_RoleName: 'orders-func' });
    expect(emulator.items('traces').map((t) => [t['message'], t['operation_Id']])).toEqual([['inside the invocation', hostTraceId]]);
  });
});
