import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { esmHookKind, type ModuleLoaderApis } from '../../src/instrumentations/register-esm-hook';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const fn = (): void => undefined;

describe('esmHookKind', () => {
  it.each<[string, ModuleLoaderApis, boolean, string]>([
    ['Node 26 / 24.11.1+ / 22.22.3+: in-thread hooks', { registerHooks: fn, register: fn }, true, 'in-thread'],
    ['Node 24.0-24.11.0 / 22.15-22.22.2: registerHooks too old for import-in-the-middle', { registerHooks: fn, register: fn }, false, 'off-thread'],
    ['Node 20 / 22.0-22.14: module.register only', { register: fn }, false, 'off-thread'],
    ['registerHooks only', { registerHooks: fn }, true, 'in-thread'],
    ['registerHooks only, unsupported', { registerHooks: fn }, false, 'none'],
    ['no loader hook API', {}, false, 'none'],
    ['members that are not functions', { registerHooks: true, register: 'yes' }, true, 'none'],
  ])('%s', (_name, loader, supported, expected) => {
    expect(esmHookKind(loader, () => supported)).toBe(expected);
  });

  it('asks import-in-the-middle only when registerHooks exists', () => {
    let asked = 0;
    const ask = (): boolean => { asked += 1; return true; };
    esmHookKind({ register: fn }, ask);
    expect(asked).toBe(0);
    esmHookKind({ registerHooks: fn }, ask);
    expect(asked).toBe(1);
  });
});

/** The child imports express (ES module) after registerEsmHook(); deprecations are thrown, not printed. */
const CHILD = `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'packages/distro/dist/index.js'))});
const { registerEsmHook } = require('./instrumentations/register-esm-hook.js');
const fromInstrumentation = createRequire(require.resolve('@opentelemetry/instrumentation'));
const { Hook } = fromInstrumentation('import-in-the-middle');
const kind = registerEsmHook(['express']);
let hooked = 0;
Hook(['express'], (exported) => { hooked += 1; return exported; });
await import('express');
console.log(JSON.stringify({ kind, hooked }));
`;

describe('registerEsmHook on this Node.js (child process)', () => {
  it(`hooks an imported package with no warning (Node ${process.versions.node})`, () => {
    const run = spawnSync(
      process.execPath,
      ['--require', path.join(REPO_ROOT, 'scripts/network-guard.cjs'), '--throw-deprecation', '--pending-deprecation', '--input-type=module', '-e', CHILD],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal' } },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { kind, hooked } = JSON.parse(run.stdout) as { kind: string; hooked: number };
    expect(hooked).toBe(1);
    // module.register is deprecated from Node.js 26 (DEP0205): it must never be the choice there
    expect(kind).toMatch(Number(process.versions.node.split('.')[0]) >= 26 ? /^in-thread$/ : /^(in|off)-thread$/);
  });
});
