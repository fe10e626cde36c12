'use strict';
// tsc does not keep the executable bit: make each package's declared bin files executable after a
// build, so `node_modules/.bin/appinsights-emulator` and `appinsights-otel` run directly.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { workspaces } = require(path.join(root, 'package.json'));
for (const dir of workspaces) {
  const manifestPath = path.join(root, dir, 'package.json');
  if (!fs.existsSync(manifestPath)) continue;
  const { bin } = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  for (const file of Object.values(typeof bin === 'string' ? { bin } : bin ?? {})) {
    const target = path.join(root, dir, file);
    if (fs.existsSync(target)) fs.chmodSync(target, 0o755);
  }
}
