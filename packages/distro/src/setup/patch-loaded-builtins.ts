import { createRequire, syncBuiltinESMExports } from 'node:module';

const load = createRequire(__filename);

/**
 * Makes the HTTP instrumentation take effect for code that has already loaded, or will `import`,
 * `node:http`/`node:https`. Instrumentations patch a module when it is `require`d after they are
 * enabled; ES modules never `require` builtins, and CommonJS code may have required them earlier.
 * Requiring them once here applies the patch to the shared module objects, and
 * `syncBuiltinESMExports()` copies the patched functions to the ESM named exports
 * (`import { request } from 'node:http'`). No loader hook is needed for builtins.
 */
export function patchLoadedBuiltins(): void {
  load('node:http');
  load('node:https');
  syncBuiltinESMExports();
}
