// Runs the queries of Microsoft's documentation (kql-corpus/documented-queries.ts) over the seed
// telemetry and compares each result with the one worked out by hand.
import { evaluateKql } from '../src/query/evaluate-kql';
import { formatResult } from '../src/query/format-result';
import { parseKql } from '../src/query/parse-kql';
import { KqlError } from '../src/errors';
import { DOCUMENTED_QUERIES, type DocumentedQuery } from './kql-corpus/documented-queries';
import { NOW, seededSource } from './kql-corpus/seed';

function run(q: DocumentedQuery): { columns: string[]; rows: unknown[][] } {
  const table = formatResult(evaluateKql(parseKql(q.query), seededSource, NOW)).tables[0];
  return { columns: (table?.columns ?? []).map((c) => c.name), rows: table?.rows ?? [] };
}

describe('documented KQL corpus', () => {
  it('holds at least 60 queries, each with its source page', () => {
    expect(DOCUMENTED_QUERIES.length).toBeGreaterThanOrEqual(60);
    for (const q of DOCUMENTED_QUERIES) expect(q.source.url).toMatch(/^https:\/\/(learn|docs)\.microsoft\.com\//);
    expect(new Set(DOCUMENTED_QUERIES.map((q) => q.id)).size).toBe(DOCUMENTED_QUERIES.length);
  });

  it.each(DOCUMENTED_QUERIES.map((q) => [q.id, q] as const))('%s', (_id, q) => {
    const e = q.expect;
    if ('error' in e) {
      expect(() => run(q)).toThrow(KqlError);
      expect(() => run(q)).toThrow(e.error);
      return;
    }
    const result = run(q);
    if ('column' in e) {
      const i = result.columns.indexOf(e.column);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(result.rows.map((r) => r[i])).toEqual(e.values);
      return;
    }
    if (e.columns) expect(result.columns).toEqual(e.columns);
    expect(result.rows).toEqual(e.rows);
  });
});
