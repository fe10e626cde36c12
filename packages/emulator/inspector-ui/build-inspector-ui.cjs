// Bundles the inspector page (scripts, styles, any fonts) into dist/inspector-ui at build time:
// the emulator serves it from there, offline, with no CDN.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild-wasm');

const here = __dirname;
const out = path.join(here, '..', 'dist', 'inspector-ui');

/** Newest modification time under a directory (ms). */
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function upToDate() {
  try {
    const built = Math.min(...['app.js', 'app.css', 'index.html', 'kusto.worker.js', 'editor.worker.js'].map((f) => fs.statSync(path.join(out, f)).mtimeMs));
    const lock = path.join(here, '..', '..', '..', 'package-lock.json');
    return built >= Math.max(newest(path.join(here, 'src')), fs.statSync(path.join(here, 'index.html')).mtimeMs, fs.statSync(path.join(here, 'build-inspector-ui.cjs')).mtimeMs, fs.existsSync(lock) ? fs.statSync(lock).mtimeMs : 0);
  } catch {
    return false;
  }
}

async function main() {
  if (upToDate() && !process.argv.includes('--force')) return;
  fs.mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: {
      app: path.join(here, 'src', 'main.ts'),
      // Monaco's and Microsoft's Kusto language service workers, each its own script.
      'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
      'kusto.worker': require.resolve('@kusto/monaco-kusto/release/esm/kusto.worker.js'),
    },
    // Bridge.NET (under the Kusto language service) publishes its globals on `global` when it sees `module`.
    define: { global: 'globalThis' },
    // Reached only under Node (Bridge.isNode): never in the browser.
    external: ['fs'],
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: 'es2022',
    outdir: out,
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.svg': 'file' },
    logLevel: 'warning',
    legalComments: 'linked',
  });
  fs.copyFileSync(path.join(here, 'index.html'), path.join(out, 'index.html'));
}

main().catch((error) => {
  process.stderr.write(`inspector UI build failed: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
