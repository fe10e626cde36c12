'use strict';
/**
 * `npm run pack`: builds (the npm script runs `npm run build` first) and packs every publishable
 * package into one folder, `dist-packages/` (or the folder given as the first argument), so an app
 * can install them before they are on the npm registry:
 *
 *   npm install /path/to/dist-packages/*.tgz
 *
 * Each package's `prepack` (scripts/prepack-package.cjs) copies the LICENSE in and removes stale
 * build outputs. Prints the tarball paths, one per line.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** The publishable packages, in dependency order. */
const PUBLISHABLE = ['core', 'exporter-trace', 'exporter-metric', 'exporter-logs', 'browser-relay', 'query', 'distro', 'emulator'];

/** Packs every publishable package into `destination`; returns the tarball paths. */
function packAll(destination) {
  const repoRoot = path.resolve(__dirname, '..');
  fs.rmSync(destination, { recursive: true, force: true });
  fs.mkdirSync(destination, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['pack', '--json', '--pack-destination', destination, ...PUBLISHABLE.map((p) => `--workspace=packages/${p}`)];
  const output = execFileSync(npm, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const packed = JSON.parse(output.slice(output.indexOf('[')));
  if (packed.length !== PUBLISHABLE.length) throw new Error(`pack: expected ${PUBLISHABLE.length} tarballs, npm packed ${packed.length}`);
  return packed.map((entry) => path.join(destination, entry.filename));
}

module.exports = { PUBLISHABLE, packAll };

if (require.main === module) {
  const destination = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist-packages'));
  for (const tarball of packAll(destination)) process.stdout.write(`${tarball}\n`);
}
