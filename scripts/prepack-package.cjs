'use strict';
/**
 * `prepack` of every publishable package (run by `npm pack` / `npm publish` in the package's
 * directory, after `tsc -b`):
 * - copies the repository's LICENSE into the package (the copy is gitignored);
 * - removes build outputs whose source file no longer exists (tsc -b never deletes them), so the
 *   tarball holds no stale module and no source map pointing at a file that is not shipped;
 * - refuses to pack a package without its README.md.
 */
const fs = require('node:fs');
const path = require('node:path');

const packageDir = process.cwd();
const repoRoot = path.resolve(__dirname, '..');
const OUTPUT_SUFFIXES = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

if (!fs.existsSync(path.join(packageDir, 'README.md'))) {
  console.error(`prepack: ${packageDir} has no README.md`);
  process.exit(1);
}
fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(packageDir, 'LICENSE'));

/** Yields every file under `dir` (relative to it). */
function* walk(dir, prefix = '') {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), rel);
    else yield rel;
  }
}

const dist = path.join(packageDir, 'dist');
const src = path.join(packageDir, 'src');
if (fs.existsSync(dist)) {
  for (const rel of walk(dist)) {
    const suffix = OUTPUT_SUFFIXES.find((s) => rel.endsWith(s));
    if (suffix === undefined) continue;
    const source = path.join(src, rel.slice(0, -suffix.length) + '.ts');
    if (!fs.existsSync(source)) fs.rmSync(path.join(dist, rel));
  }
}
