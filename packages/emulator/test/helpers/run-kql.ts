// Runs a query over the documented-query corpus seed (kql-corpus/seed.ts) and returns what the
// query API would: column names and formatted rows, or the KqlError it refuses with.
import { evaluateKql } from '../../src/query/evaluate-kql';
import { formatResult } from '../../src/query/format-result';
import { parseKql } from '../../src/query/parse-kql';
import { KqlError } from '../../src/errors';
import { NOW, seededSource } from '../kql-corpus/seed';

/** The first result table of `query` over the seed. */
export function runOnSeed(query: string): { columns: string[]; types: string[]; rows: unknown[][] } {
  const table = formatResult(evaluateKql(parseKql(query), seededSource, NOW)).tables[0];
  return { columns: (table?.columns ?? []).map((c) => c.name), types: (table?.columns ?? []).map((c) => c.type), rows: table?.rows ?? [] };
}

/** The KqlError `query` is refused with (fails the test when it runs). */
export function refusalOnSeed(query: string): KqlError {
  try {
    runOnSeed(query);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`expected ${query} to be refused`);
}
