import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

/** Packages whose instrumentation does not hook imports (resolved only to decide whether to load it). */
const NOT_HOOKED = new Set(['@azure/core-tracing']);

/**
 * How import-in-the-middle's loader hook runs: `in-thread` through `module.registerHooks` (synchronous,
 * in the application thread), `off-thread` through `module.register` (a loader thread; deprecated
 * from Node.js 26, DEP0205), or `none`.
 */
export type EsmHookKind = 'in-thread' | 'off-thread' | 'none';

/** The loader APIs of a Node.js `module` object that {@link esmHookKind} looks at. */
export interface ModuleLoaderApis {
  readonly registerHooks?: unknown;
  readonly register?: unknown;
}

/**
 * Picks the loader hook API: the in-thread hooks where Node.js has them and import-in-the-middle can
 * run on them, `module.register` only where it cannot.
 *
 * @param loader - The `node:module` exports (or a test double with the same two members).
 * @param supportsInThreadHooks - import-in-the-middle's `supportsSyncHooks()`: `module.registerHooks`
 *   exists from 22.15 and 24.0, but import-in-the-middle needs 22.22.3, 24.11.1 or 26.0.0. Only called
 *   when `registerHooks` exists.
 */
export function esmHookKind(loader: ModuleLoaderApis, supportsInThreadHooks: () => boolean): EsmHookKind {
  if (typeof loader.registerHooks === 'function' && supportsInThreadHooks()) return 'in-thread';
  return typeof loader.register === 'function' ? 'off-thread' : 'none';
}

interface InThreadHookModule {
  register(options: { include: string[] }): void;
}

/**
 * Registers import-in-the-middle's ES module loader hook, so that packages the application `import`s
 * (express, pg, winston, ...) are patched like `require`d ones: in-thread (`module.registerHooks`)
 * where this Node.js supports it, else through `module.register` (as
 * `@opentelemetry/instrumentation/hook.mjs` does). Only the listed packages are wrapped; every other
 * module loads untouched. The hook is the copy of import-in-the-middle that
 * `@opentelemetry/instrumentation` uses, so the loader and the instrumentations talk to each other.
 * Call it before the application's first `import` (the `register` entry point does).
 *
 * @param moduleNames - Bare specifiers to hook (e.g. from `hookedModuleNames()`).
 * @returns how the hook was registered; `none` when there is nothing to hook or this Node.js has no
 *   loader hook API.
 */
export function registerEsmHook(moduleNames: readonly string[]): EsmHookKind {
  const include = moduleNames.filter((name) => !NOT_HOOKED.has(name));
  if (include.length === 0) return 'none';
  const fromInstrumentation = nodeModule.createRequire(require.resolve('@opentelemetry/instrumentation'));
  // require() of an ES module: Node.js has it wherever it has registerHooks (22.12 and later).
  const kind = esmHookKind(nodeModule, () =>
    (fromInstrumentation('import-in-the-middle/supports-sync-hooks.mjs') as { supportsSyncHooks(): boolean }).supportsSyncHooks(),
  );
  if (kind === 'in-thread') {
    (fromInstrumentation('import-in-the-middle/register-hooks.mjs') as InThreadHookModule).register({ include });
  } else if (kind === 'off-thread') {
    const hook = pathToFileURL(fromInstrumentation.resolve('import-in-the-middle/hook.mjs'));
    nodeModule.register(hook, pathToFileURL(__filename), { data: { include } });
  }
  return kind;
}
