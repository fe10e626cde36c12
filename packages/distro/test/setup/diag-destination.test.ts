import { diag } from '@opentelemetry/api';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownAzureMonitor, useAzureMonitor } from '@appinsights-otel/distro';
import { resolveSettings } from '../../src/config/resolve-settings';

// The official distro's APPLICATIONINSIGHTS_LOG_DESTINATION / APPLICATIONINSIGHTS_LOGDIR choose
// where the distro's own diag logger writes (when the app installed none).
const VARIABLES = ['APPLICATIONINSIGHTS_LOG_DESTINATION', 'APPLICATIONINSIGHTS_LOGDIR', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_CONFIGURATION_CONTENT', 'APPLICATIONINSIGHTS_CONFIGURATION_FILE'];
const saved: Record<string, string | undefined> = {};

beforeEach(() => { for (const name of VARIABLES) { saved[name] = process.env[name]; delete process.env[name]; } diag.disable(); });
afterEach(async () => {
  await shutdownAzureMonitor(1_000);
  diag.disable();
  for (const name of VARIABLES) { if (saved[name] === undefined) delete process.env[name]; else process.env[name] = saved[name]; }
  jest.restoreAllMocks();
});

describe('APPLICATIONINSIGHTS_LOG_DESTINATION', () => {
  it.each<[Record<string, string>, unknown, number]>([
    [{}, { console: true }, 0],
    [{ APPLICATIONINSIGHTS_LOG_DESTINATION: 'CONSOLE' }, { console: true }, 0],
    [{ APPLICATIONINSIGHTS_LOG_DESTINATION: 'file', APPLICATIONINSIGHTS_LOGDIR: '/var/log/app' }, { console: false, directory: '/var/log/app' }, 0],
    [{ APPLICATIONINSIGHTS_LOG_DESTINATION: 'file+console' }, { console: true, directory: join(tmpdir(), 'appInsights-node') }, 0],
    [{ APPLICATIONINSIGHTS_LOGDIR: '/var/log/app' }, { console: true }, 0],
    [{ APPLICATIONINSIGHTS_LOG_DESTINATION: 'syslog' }, { console: true }, 1],
  ])('%j', (env, destination, warnings) => {
    const resolved = resolveSettings({}, env);
    expect(resolved.settings.diagDestination).toEqual(destination);
    expect(resolved.warnings).toHaveLength(warnings);
  });

  it('file: the distro\'s error lines go to <LOGDIR>/applicationinsights.log and not to the console', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'diag-file-')), 'logs');
    process.env['APPLICATIONINSIGHTS_LOG_DESTINATION'] = 'file';
    process.env['APPLICATIONINSIGHTS_LOGDIR'] = dir;
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    useAzureMonitor({});
    expect(readFileSync(join(dir, 'applicationinsights.log'), 'utf8')).toMatch(/ ERROR .*no Application Insights connection string/);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('console (the default) writes no file', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'diag-console-')), 'logs');
    process.env['APPLICATIONINSIGHTS_LOGDIR'] = dir;
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    useAzureMonitor({});
    expect(consoleError).toHaveBeenCalledWith('@appinsights-otel/distro', expect.stringContaining('no Application Insights connection string'));
    expect(existsSync(dir)).toBe(false);
  });
});
