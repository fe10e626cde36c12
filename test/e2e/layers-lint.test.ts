// The layer tables of docs/architecture.md are the ones eslint.config.mjs enforces, and the
// enforcement works: an import a row forbids fails lint (this guards against a resolver that
// silently resolves nothing, which would let every import through).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function runModule(source: string): unknown {
  // With CI=true, typescript-eslint infers a single run and parses the file as it is on disk, not
  // the text handed to lintText, so the added import would be invisible: ask for a normal run.
  const env = { ...process.env, TSESTREE_SINGLE_RUN: 'false' };
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env });
  return JSON.parse(out) as unknown;
}

/** Rows of the markdown table that follows `heading` (first cell -> third or second cell). */
function tableAfter(doc: string, heading: string, column: number): Map<string[], string> {
  const lines = doc.slice(doc.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows = new Map<string[], string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    rows.set(ticked(cells[1] as string), cells[column] as string);
  }
  return rows;
}

function ticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).replace(/\/$/, ''));
}

describe('layer tables', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
  const tables = runModule(
    "const m = await import('./eslint.config.mjs'); process.stdout.write(JSON.stringify({ core: m.CORE_LAYERS, packages: m.PACKAGE_LAYERS }));",
  ) as { core: Record<string, string[]>; packages: Record<string, string[]> };

  it('docs/architecture.md lists the core folders eslint.config.mjs enforces, with the same allowed imports', () => {
    const rows = tableAfter(doc, 'Inside `core`', 3);
    const folders = Object.keys(tables.core).filter((k) => !k.endsWith('.ts'));
    expect(folders.length).toBeGreaterThan(8);
    for (const folder of folders) {
      const row = [...rows].find(([names]) => names.includes(folder));
      const allowed = tables.core[folder] as string[];
      const expected = [...allowed.filter((a) => !a.endsWith('.ts')), ...(allowed.includes('errors.ts') ? ['errors'] : [])].sort();
      expect({ folder, documented: row === undefined ? undefined : ticked(row[1]).sort() }).toEqual({ folder, documented: expected });
    }
  });

  it('docs/architecture.md lists the package rows eslint.config.mjs enforces', () => {
    const rows = tableAfter(doc, '| package (`src/`)', 2);
    for (const [pkg, allowed] of Object.entries(tables.packages)) {
      const row = [...rows].find(([names]) => names.includes(pkg));
      expect({ pkg, documented: row === undefined ? undefined : ticked(row[1]).sort() }).toEqual({ pkg, documented: [...allowed].sort() });
    }
  });

  it('lint refuses an import a row forbids and accepts one it allows', () => {
    const cases: Array<[file: string, importLine: string]> = [
      ['packages/core/src/mapping/trace/http-url.ts', "import '../../transport/http-transport';"],
      ['packages/core/src/diag/redact-secrets.ts', "import '../transport/transport-types';"],
      ['packages/exporter-trace/src/index.ts', "import '@appinsights-otel/distro';"],
      ['packages/distro/src/index.ts', "import '../../core/src/transport/http-transport';"],
      ['packages/browser-relay/src/index.ts', "import '@appinsights-otel/exporter-trace';"],
      ['packages/exporter-logs/src/index.ts', "export { ConfigError } from '@appinsights-otel/core';"],
    ];
    const script = `
      import { ESLint } from 'eslint';
      import fs from 'node:fs';
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const [file, line] of ${JSON.stringify(cases)}) {
        const [result] = await eslint.lintText(fs.readFileSync(file, 'utf8') + '\\n' + line + '\\n', { filePath: file });
        out.push(result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').length);
      }
      process.stdout.write(JSON.stringify(out));`;
    expect(runModule(script)).toEqual([1, 1, 1, 1, 1, 0]);
  }, 120_000);
});

describe('undici imports', () => {
  it('lint refuses a runtime import of undici outside core/transport/undici.ts and accepts a type-only one', () => {
    const cases: Array<[file: string, line: string]> = [
      ['packages/distro/src/index.ts', "import { request } from 'undici';"],
      ['packages/core/src/transport/http-transport.ts', "import { Agent } from 'undici';"],
      ['packages/query/src/index.ts', "export const undici = import('undici');"],
      ['packages/distro/src/index.ts', "import type { Dispatcher as D } from 'undici';"],
      ['packages/core/src/transport/create-dispatcher.ts', "import { type Dispatcher as D } from 'undici';"],
    ];
    const script = `
      import { ESLint } from 'eslint';
      import fs from 'node:fs';
      const eslint = new ESLint({ cwd: process.cwd() });
      const rules = ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'];
      const out = [];
      for (const [file, line] of ${JSON.stringify(cases)}) {
        const [result] = await eslint.lintText(fs.readFileSync(file, 'utf8') + '\\n' + line + '\\n', { filePath: file });
        out.push(result.messages.filter((m) => rules.includes(m.ruleId)).length);
      }
      process.stdout.write(JSON.stringify(out));`;
    expect(runModule(script)).toEqual([1, 1, 1, 0, 0]);
  }, 120_000);
});
