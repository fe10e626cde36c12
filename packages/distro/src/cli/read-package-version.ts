import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = '@appinsights-otel/distro';

/**
 * The distro's version, from its package.json (found from this module's folder upwards, so it
 * works from `src/` under ts-jest and from `dist/` once built or installed).
 *
 * @returns The version, or `'unknown'` when the package.json cannot be found.
 */
export function readPackageVersion(startDir: string = __dirname): string {
  let dir = startDir;
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no (readable) package.json here: keep going up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
