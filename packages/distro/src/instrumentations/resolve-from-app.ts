import * as path from 'node:path';

/** Where the application would load a package from (its resolved entry file), or undefined if it cannot. */
export type AppResolver = (moduleName: string) => string | undefined;

/**
 * The directories an application resolves its packages from: its working directory and the
 * directory of its main script (`process.argv[1]`, set for CommonJS and ES module entry points).
 */
export function appSearchPaths(cwd: string = process.cwd(), mainScript: string | undefined = process.argv[1]): string[] {
  const paths = [cwd];
  if (mainScript !== undefined && mainScript !== '' && path.isAbsolute(mainScript)) {
    const dir = path.dirname(mainScript);
    if (dir !== cwd) paths.push(dir);
  }
  return paths;
}

/**
 * Creates a resolver that looks a package up the way the application would (`require.resolve` with
 * the application's search paths) and only resolves it: the driver is never loaded here, so an
 * instrumentation is loaded only when the application has its target installed.
 *
 * @param searchPaths - Where to start looking; default {@link appSearchPaths}.
 */
export function createAppResolver(searchPaths: readonly string[] = appSearchPaths()): AppResolver {
  const cache = new Map<string, string | undefined>();
  return (moduleName) => {
    if (!cache.has(moduleName)) cache.set(moduleName, resolveFrom(moduleName, searchPaths));
    return cache.get(moduleName);
  };
}

function resolveFrom(moduleName: string, searchPaths: readonly string[]): string | undefined {
  for (const request of [moduleName, `${moduleName}/package.json`]) { // ES-only packages: their package.json
    try {
      return require.resolve(request, { paths: [...searchPaths] });
    } catch {
      // not found this way
    }
  }
  return undefined;
}
