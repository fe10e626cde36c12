import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';

/** Where the application would load a package from (its resolved entry file), or undefined if it cannot. */
export type AppResolver = (moduleName: string) => string | undefined;

/**
 * The directories an application resolves its packages from: its working directory and the
 * directory of its main script (`process.argv[1]`, set for CommonJS and ES module entry points).
 */
function appSearchPaths(cwd: string = process.cwd(), mainScript: string | undefined = process.argv[1]): string[] {
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
  // A failed require.resolve() costs an exception per lookup; absent packages (the common case)
  // are ruled out with a few stat calls first, along the same node_modules chain Node would walk.
  const packageDir = findPackageDir(moduleName, searchPaths);
  if (packageDir === undefined) return undefined;
  try {
    return require.resolve(moduleName, { paths: [...searchPaths] });
  } catch {
    return path.join(packageDir, 'package.json'); // ES-only packages, or exports without `require`
  }
}

function findPackageDir(moduleName: string, searchPaths: readonly string[]): string | undefined {
  for (const start of searchPaths) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (path.basename(dir) !== 'node_modules') {
        const candidate = path.join(dir, 'node_modules', moduleName);
        if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  const globalPaths = (nodeModule as unknown as { globalPaths?: string[] }).globalPaths ?? [];
  for (const dir of globalPaths) {
    const candidate = path.join(dir, moduleName);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}
