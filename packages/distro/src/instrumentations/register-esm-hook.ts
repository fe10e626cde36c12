import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

/** Packages whose instrumentation does not hook imports (resolved only to decide whether to load it). */
const NOT_HOOKED = new Set(['@azure/core-tracing']);

/**
 * Registers import-in-the-middle's ES module loader hook (`module.register`, as
 * `@opentelemetry/instrumentation/hook.mjs` does), so that packages the application `import`s
 * (express, pg, winston, ...) are patched like `require`d ones. Only the listed packages are
 * wrapped; every other module loads untouched. The hook is the copy of import-in-the-middle that
 * `@opentelemetry/instrumentation` uses, so the loader and the instrumentations talk to each other.
 * Call it before the application's first `import` (the `register` entry point does).
 *
 * @param moduleNames - Bare specifiers to hook (e.g. from `hookedModuleNames()`).
 * @returns false when there is nothing to hook or this Node.js has no `module.register`.
 */
export function registerEsmHook(moduleNames: readonly string[]): boolean {
  const include = moduleNames.filter((name) => !NOT_HOOKED.has(name));
  if (include.length === 0 || typeof nodeModule.register !== 'function') return false;
  const fromInstrumentation = nodeModule.createRequire(require.resolve('@opentelemetry/instrumentation'));
  const hook = pathToFileURL(fromInstrumentation.resolve('import-in-the-middle/hook.mjs'));
  nodeModule.register(hook, pathToFileURL(__filename), { data: { include } });
  return true;
}
