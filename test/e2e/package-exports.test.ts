import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Each published package must load with both require() and import, with named exports, from
// its built output (npm test builds before jest runs).
const repoRoot = path.resolve(__dirname, '../..');
const guard = path.join(repoRoot, 'scripts/network-guard.cjs');

const CASES: ReadonlyArray<[pkg: string, namedExport: string]> = [
  ['@appinsights-otel/core', 'ConfigError'],
  ['@appinsights-otel/exporter-trace', 'AzureMonitorTraceExporter'],
  ['@appinsights-otel/exporter-metric', 'AzureMonitorMetricExporter'],
  ['@appinsights-otel/exporter-logs', 'AzureMonitorLogExporter'],
  ['@appinsights-otel/browser-relay', 'createBrowserRelay'],
  ['@appinsights-otel/query', 'QueryClient'],
  ['@appinsights-otel/emulator', 'startEmulator'],
  ['@appinsights-otel/distro', 'useAzureMonitor'],
];

function node(args: string[]): string {
  return execFileSync(process.execPath, ['--require', guard, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 }).trim();
}

describe('package exports', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(repoRoot, 'packages/core/dist/index.js'))) {
      execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
    }
  }, 300_000);

  it.each(CASES)('%s: require() gives the named export %s', (pkg, name) => {
    expect(node(['-e', `process.stdout.write(typeof require(${JSON.stringify(pkg)})[${JSON.stringify(name)}])`])).toBe('function');
  });

  it.each(CASES)('%s: import gives the named export %s', (pkg, name) => {
    const src = `import { ${name} } from ${JSON.stringify(pkg)}; process.stdout.write(typeof ${name});`;
    expect(node(['--input-type=module', '-e', src])).toBe('function');
  });
});
