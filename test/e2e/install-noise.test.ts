// `npm ci` must be quiet: no "Unknown ... config" warning (an .npmrc key npm does not know) and no
// EBADENGINE (a dependency that needs another Node.js than the one we support). Checked on a copy
// of the manifests, the lockfile and .npmrc with `npm ci --dry-run`, which reads them the way a
// real install does but installs nothing (and, offline, fetches nothing). .ci/run also checks the
// log of its real `npm ci`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../fixtures/apps/run-node';

/** Lines of npm output that a clean install must not print. */
export const INSTALL_NOISE = /EBADENGINE|Unknown (project|user|global|env|cli) config/;

/** The environment minus the npm_config_* values a parent npm (npm test) passes down: the files decide. */
function withoutNpmConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_config_/i.test(k) || keep.has(k.toLowerCase())));
}

describe('npm ci prints no engine or config warnings', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-otel-install-noise-'));
    const { workspaces } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    for (const file of ['package.json', 'package-lock.json', '.npmrc', ...workspaces.map((w) => `${w}/package.json`)]) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('npm ci --dry-run on the repository\'s manifests, lockfile and .npmrc', () => {
    const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--dry-run', '--ignore-scripts', '--offline'], {
      cwd: dir, encoding: 'utf8', timeout: 300_000,
      env: { ...withoutNpmConfig(process.env), npm_config_update_notifier: 'false' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output.split('\n').filter((l) => INSTALL_NOISE.test(l))).toEqual([]);
    expect(run.status).toBe(0);
  }, 300_000);
});
