import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `version` of the package.json in `packageRoot`. Every package of this repository keeps its
 * modules one folder below `src/` or `dist/`, so a module passes `join(__dirname, '..', '..')`.
 *
 * @param packageRoot - The folder holding the package.json.
 * @param fallback - Returned when the file is missing, unreadable or has no string `version`.
 */
export function readPackageVersion(packageRoot: string, fallback = 'unknown'): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    const version = (parsed as { version?: unknown }).version;
    return typeof version === 'string' ? version : fallback;
  } catch {
    return fallback;
  }
}
