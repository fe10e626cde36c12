// Installs what `npm run pack` produces into a fresh app OUTSIDE the repository and runs it against
// the emulator, as a user would before the packages are on the registry. The app's dependencies
// are resolved from the repository's package-lock.json (the versions `npm ci` installed, so
// `npm ci --offline` finds every tarball in the npm cache): no network at all.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { REPO_ROOT, jsonLines, runNode } from '../fixtures/apps/run-node';
import { buildAppLockfile, type Lockfile, type PackedPackage } from '../fixtures/packaging/app-lockfile';

const semver = require('semver') as { satisfies(version: string, range: string): boolean };

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const { PUBLISHABLE } = require('../../scripts/pack.cjs') as { PUBLISHABLE: readonly string[] };
/** What the app itself asks for besides our tarballs (the versions the docs tell users to install). */
const APP_REGISTRY_DEPENDENCIES = { '@azure/identity': '^4.13.0', '@opentelemetry/api': '^1.9.0', '@opentelemetry/api-logs': '^0.223.0' };

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, args, {
    cwd, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

function readPacked(tarball: string): PackedPackage {
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as {
    name: string; version: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; bin?: Record<string, string>;
  };
  return {
    name: manifest.name, version: manifest.version, tarball,
    integrity: `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`,
    dependencies: manifest.dependencies ?? {}, peerDependencies: manifest.peerDependencies ?? {},
    ...(manifest.bin !== undefined ? { bin: manifest.bin } : {}),
  };
}

/** Every installed copy of a package in an app's node_modules (nested ones included). */
function installedCopies(appDir: string, name: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', '.package-lock.json'), 'utf8')) as Lockfile;
  return Object.keys(lock.packages).filter((k) => k === `node_modules/${name}` || k.endsWith(`/node_modules/${name}`));
}

describe('the packed tarballs in a fresh app outside the repository', () => {
  let work: string;
  let appDir: string;
  let packed: PackedPackage[];
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-otel-packaging-'));
    const tarballs = npm(['run', '--silent', 'pack', '--', path.join(work, 'packages')], REPO_ROOT).trim().split('\n');
    packed = tarballs.map(readPacked);
    expect(packed.map((p) => p.name).sort()).toEqual(PUBLISHABLE.map((p) => `@appinsights-otel/${p}`).sort());

    // The app installs what a user of the distro and the query client would, not the emulator.
    appDir = path.join(work, 'app');
    fs.mkdirSync(appDir);
    const app = packed.filter((p) => !p.name.endsWith('/emulator'));
    const dependencies: Record<string, string> = { ...APP_REGISTRY_DEPENDENCIES };
    for (const p of app) dependencies[p.name] = `file:${p.tarball}`;
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'packaged-app', version: '1.0.0', private: true, dependencies }, null, 2));
    const repoLock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
    fs.writeFileSync(path.join(appDir, 'package-lock.json'), JSON.stringify(buildAppLockfile(repoLock, app, dependencies, semver.satisfies), null, 2));
    npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], appDir);
    fs.copyFileSync(path.join(REPO_ROOT, 'test/fixtures/packaging/app.cjs'), path.join(appDir, 'app.cjs'));
    emulator = await startEmulator();
  }, 600_000);

  afterAll(async () => {
    await emulator?.close();
    if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
  });

  it('sends traces and logs with a managed identity, and reads them back with the query client', async () => {
    const run = await runNode([path.join(appDir, 'app.cjs')], {
      ...emulator.managedIdentityEnv(),
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      TEST_APP_ID: emulator.resource().applicationId,
      TEST_QUERY_ENDPOINT: emulator.queryEndpoint,
    });
    expect(run.stderr).not.toContain('NETWORK GUARD');
    const [result] = jsonLines<{ distro?: string; requests?: string[]; error?: string }>(run.stdout);
    expect(result?.error).toBeUndefined();
    expect(result?.distro?.startsWith(appDir)).toBe(true); // the installed tarball, not the workspace
    expect(result?.requests).toContain('GET /packaged');
    expect(emulator.items('traces').map((t) => t['message'])).toContain('hello from the packaged app');
    expect(run.code).toBe(0);
  }, 120_000);

  it('the distro CLI runs from the app (appinsights-otel --version)', () => {
    const bin = path.join(appDir, 'node_modules', '.bin', 'appinsights-otel');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(packed.find((p) => p.name.endsWith('/distro'))?.version);
  });

  it('our packages share the app\'s OpenTelemetry SDK and @azure/identity (no nested copies), and install no native module', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as Lockfile;
    expect(Object.keys(lock.packages).filter((k) => /^node_modules\/@appinsights-otel\/[^/]+\/node_modules\//.test(k))).toEqual([]);
    for (const name of ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-logs', '@opentelemetry/sdk-metrics', '@opentelemetry/resources', '@azure/identity']) {
      expect([name, installedCopies(appDir, name)]).toEqual([name, [`node_modules/${name}`]]);
    }
    expect(installedCopies(appDir, 'better-sqlite3')).toEqual([]);
    expect(Object.entries(lock.packages).filter(([, e]) => e.hasInstallScript === true).map(([k]) => k)).toEqual([]);
  });
});
