import * as fs from 'node:fs';
import * as path from 'node:path';

/** The version in this package's package.json (two levels above both `src/cli` and `dist/cli`). */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', '..', 'package.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}
