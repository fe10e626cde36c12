// Our `engines.node` must be true for every dependency: each line it admits starts at a version
// that all the packages installed under it accept (undici ^7.16, for one, needs 20.18.1). Read
// from package-lock.json, which records every installed package's own `engines`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../fixtures/apps/run-node';

/** The two calls we need from semver (npm's own range semantics; the package ships no types). */
interface Semver {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { readonly version: string } | null;
}
const semver = createRequire(__filename)('semver') as Semver;

interface LockEntry {
  readonly version?: string;
  readonly link?: boolean;
  readonly resolved?: string;
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const lock = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/** The lockfile key Node.js would resolve `name` to from the package at `from` (walking up node_modules). */
function resolveKey(from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (lock[key]) return lock[key].link ? lock[key].resolved : key;
    if (dir === '') return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

/** The `engines.node` of every package a workspace installs with it (dependencies, optional, peers), by name@version. */
function dependencyEngines(workspace: string): Map<string, string> {
  const engines = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [workspace];
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = lock[key]!;
    if (key !== workspace && entry.engines?.node) engines.set(`${key.replace(/^.*node_modules\//, '')}@${entry.version ?? ''}`, entry.engines.node);
    const names = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...(key === workspace ? entry.peerDependencies : {}) });
    for (const name of names) {
      const next = resolveKey(key, name);
      if (next) queue.push(next);
    }
  }
  return engines;
}

/** The lowest version of each `||` line of a range: where each supported major starts. */
function lineStarts(range: string): string[] {
  return range.split('||').map((line) => semver.minVersion(line.trim())!.version);
}

const workspaces = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.filter((w) => w.startsWith('packages/'));

describe('engines.node is true for every dependency', () => {
  it.each(workspaces)('%s', (workspace) => {
    const ours = lock[workspace]!.engines?.node;
    expect(ours).toBe((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, workspace, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node);
    const conflicts = [...dependencyEngines(workspace)].flatMap(([dep, theirs]) =>
      lineStarts(ours!).filter((start) => !semver.satisfies(start, theirs)).map((start) => `${dep} needs ${theirs}, ours admits ${start}`));
    expect(conflicts).toEqual([]);
  });

  it('the repository root (every installed package, development tools included)', () => {
    const ours = lock['']!.engines!.node!;
    const conflicts = Object.entries(lock)
      .filter(([key, entry]) => key !== '' && entry.engines?.node)
      .flatMap(([key, entry]) => lineStarts(ours).filter((start) => !semver.satisfies(start, entry.engines!.node!)).map((start) => `${key} needs ${entry.engines!.node!}, ours admits ${start}`));
    expect(conflicts).toEqual([]);
  });

  it('the check sees the constraint that motivated it (undici needs 20.18.1)', () => {
    const engines = dependencyEngines('packages/core');
    const undici = [...engines].find(([dep]) => dep.startsWith('undici@'));
    expect(undici).toBeDefined();
    expect(semver.satisfies('20.6.0', undici![1])).toBe(false);
  });
});
