import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle } from '@appinsights-otel/emulator';
import { NETWORK_GUARD, REPO_ROOT, requireBuilt } from '../fixtures/apps/run-node';

/**
 * `--require @appinsights-otel/distro/register` flushes on SIGTERM and records crashes without
 * changing how the process ends (docs/configuration.md, "Shutdown, signals and crashes"). Each app
 * is a child process sending to the emulator with a managed identity. The signal is sent right after
 * the log is emitted, inside the batch processor's 1 s delay, so only a flush on the signal delivers it.
 */
const HANG_GUARD_MILLIS = 60_000;

interface Run {
  readonly stdout: () => string;
  readonly stderr: () => string;
  waitForLine(text: string): Promise<void>;
  signal(signal: NodeJS.Signals): void;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(app: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--require', NETWORK_GUARD, '--require', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/exit', app)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); for (const w of [...waiters]) w(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MILLIS);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => {
    clearTimeout(guard);
    for (const w of [...waiters]) w();
    resolve({ code, signal });
  }));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    ended,
    signal: (s) => { child.kill(s); },
    waitForLine: (text) => new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (stdout.includes(text)) { waiters.delete(check); resolve(); } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(new Error(`child ended before printing ${text}; stderr: ${stderr.slice(-2000)}`));
        }
      };
      waiters.add(check);
      check();
    }),
  };
}

/** Polls the emulator until `predicate` holds (the hang guard of the test bounds it). */
async function eventually(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('register: signals and crashes (child processes, emulator)', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    requireBuilt('distro/dist/register.js', 'distro/dist/setup/install-process-hooks.js');
    emulator = await startEmulator();
  });
  afterAll(async () => { await emulator?.close(); });
  beforeEach(() => emulator.clearItems());

  const env = (mode: string): Record<string, string> => ({
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
    APP_MODE: mode,
  });
  const messages = (): string[] => emulator.items('traces').map((t) => String(t['message']));

  it('SIGTERM with no handler of the app: the log is flushed, then the process dies of SIGTERM as by default', async () => {
    const run = start('signal-app.cjs', env('default'));
    await run.waitForLine('READY');
    run.signal('SIGTERM');
    const ended = await run.ended;
    expect({ ...ended, stderr: run.stderr() }).toEqual({ code: null, signal: 'SIGTERM', stderr: '' });
    expect(messages()).toEqual(['before the signal (default)']);
  }, HANG_GUARD_MILLIS + 10_000);

  it('SIGTERM when the app has its own handler: the process keeps running (the app decides), and the log is delivered', async () => {
    const run = start('signal-app.cjs', env('app-handler'));
    await run.waitForLine('READY');
    run.signal('SIGTERM');
    await run.waitForLine('APP HANDLER');
    await eventually(() => messages().length > 0);
    expect(messages()).toEqual(['before the signal (app-handler)']);
    run.signal('SIGKILL'); // still alive: only SIGKILL ends it
    expect(await run.ended).toEqual({ code: null, signal: 'SIGKILL' });
  }, HANG_GUARD_MILLIS + 10_000);

  it('an uncaught exception with no handler of the app: recorded and flushed, then printed with exit code 1 as usual', async () => {
    const run = start('crash-app.cjs', env('default'));
    const ended = await run.ended;
    expect(ended).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toContain('Error: crash on purpose (default)');
    expect(run.stderr()).toMatch(/at Timeout\._onTimeout .*crash-app\.cjs/);
    expect(emulator.items('exceptions').map((e) => [e['type'], e['outerMessage'], e['severityLevel']])).toEqual([['Error', 'crash on purpose (default)', 4]]);
  }, HANG_GUARD_MILLIS + 10_000);

  it('an uncaught exception when the app has its own handler: recorded, and the app carries on to a normal exit', async () => {
    const run = start('crash-app.cjs', env('app-handler'));
    const ended = await run.ended;
    expect({ ...ended, stderr: run.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(run.stdout()).toContain('HANDLED crash on purpose (app-handler)');
    expect(emulator.items('exceptions').map((e) => e['outerMessage'])).toEqual(['crash on purpose (app-handler)']);
  }, HANG_GUARD_MILLIS + 10_000);
});
