// What each publishable tarball holds (npm pack --dry-run --json, which runs the real prepack) and
// what its manifest promises: README, LICENSE, metadata, source maps that resolve inside the
// tarball, and dependency ranges that an app's own OpenTelemetry / @azure/identity copies satisfy.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../fixtures/apps/run-node';

const semver = require('semver') as { satisfies(version: string, range: string): boolean };

const { PUBLISHABLE } = require('../../scripts/pack.cjs') as { PUBLISHABLE: readonly string[] };

interface PackResult { name: string; files: Array<{ path: string }> }
interface Manifest {
  name: string; version: string; license?: string; keywords?: string[]; homepage?: string;
  repository?: { type?: string; url?: string; directory?: string }; bugs?: { url?: string };
  scripts?: Record<string, string>; bin?: Record<string, string>; main?: string; types?: string;
  dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
}

const manifests = new Map(PUBLISHABLE.map((p) => [p, JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'packages', p, 'package.json'), 'utf8')) as Manifest]));
const lockPackages = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> }).packages;

describe('publishable tarballs', () => {
  let packs: Map<string, Set<string>>;

  beforeAll(() => {
    const args = ['pack', '--dry-run', '--json', ...PUBLISHABLE.map((p) => `--workspace=packages/${p}`)];
    const out = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const results = JSON.parse(out.slice(out.indexOf('['))) as PackResult[];
    packs = new Map(results.map((r) => [r.name.replace('@appinsights-otel/', ''), new Set(r.files.map((f) => f.path))]));
  }, 300_000);

  it.each(PUBLISHABLE)('%s ships README, LICENSE, its entry points and bins, and no build info', (pkg) => {
    const files = packs.get(pkg)!;
    const manifest = manifests.get(pkg)!;
    for (const required of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']) expect([pkg, required, files.has(required)]).toEqual([pkg, required, true]);
    for (const bin of Object.values(manifest.bin ?? {})) expect(files.has(path.posix.normalize(bin))).toBe(true);
    expect([...files].filter((f) => /tsbuildinfo|(^|\/)test\//.test(f))).toEqual([]);
  });

  it.each(PUBLISHABLE)('%s: every source map points at files inside the tarball', (pkg) => {
    const files = packs.get(pkg)!;
    const missing: string[] = [];
    for (const file of [...files].filter((f) => f.endsWith('.map'))) {
      const map = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'packages', pkg, file), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of map.sources) {
        const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(file), map.sourceRoot ?? '', source));
        if (!files.has(shipped)) missing.push(`${file} -> ${shipped}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it.each(PUBLISHABLE)('%s: license, repository (with directory), homepage, bugs, keywords, a prepack build', (pkg) => {
    const m = manifests.get(pkg)!;
    expect(m.license).toBe('MIT');
    expect(m.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: `packages/${pkg}` });
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.bugs?.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(m.keywords).toEqual(expect.arrayContaining(['azure', 'application-insights', 'opentelemetry']));
    expect(m.scripts?.['prepack']).toMatch(/tsc -b/);
  });

  it.each(PUBLISHABLE)('%s: caret ranges the installed versions satisfy; @opentelemetry/api only as a peer', (pkg) => {
    const m = manifests.get(pkg)!;
    const deps = { ...m.dependencies, ...m.optionalDependencies };
    expect(deps['@opentelemetry/api']).toBeUndefined();
    if (pkg !== 'emulator') expect(m.peerDependencies?.['@opentelemetry/api']).toBe('^1.9.0');
    for (const [name, range] of Object.entries(deps)) {
      if (name.startsWith('@appinsights-otel/') || name.startsWith('@opentelemetry/') || name.startsWith('@azure/')) {
        expect([name, range]).toEqual([name, expect.stringMatching(/^\^\d/)]);
      }
      const installed = name.startsWith('@appinsights-otel/')
        ? manifests.get(name.replace('@appinsights-otel/', ''))?.version
        : lockPackages[`node_modules/${name}`]?.version;
      expect([name, range, installed !== undefined && semver.satisfies(installed, range)]).toEqual([name, range, true]);
    }
  });

  it('only the emulator depends on better-sqlite3 (the exporters and the distro need no native module)', () => {
    const withSqlite = PUBLISHABLE.filter((p) => {
      const m = manifests.get(p)!;
      return 'better-sqlite3' in { ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies };
    });
    expect(withSqlite).toEqual(['emulator']);
  });
});
