// Limits that keep hostile input cheap: JSON nesting and item count, KQL length, depth, cost,
// cells and time, and the chaos delay that must not leak listeners.
import { getEventListeners } from 'node:events';
import { scanJson, MAX_JSON_DEPTH } from '../src/ingestion/scan-json';
import { parseItems, MAX_ITEMS_PER_REQUEST } from '../src/ingestion/parse-items';
import { parseKql } from '../src/query/parse-kql';
import { evaluateKql, type ResultTable } from '../src/query/evaluate-kql';
import { runQuery } from '../src/query/handle-query';
import { createQueryBudget, DEFAULT_QUERY_LIMITS, MAX_EXPRESSION_DEPTH, MAX_QUERY_CHARS } from '../src/query/query-budget';
import { createMemoryStore } from '../src/storage/create-memory-store';
import { TABLE_SCHEMAS } from '../src/storage/table-schemas';
import type { Row } from '../src/storage/row';
import { KqlError, QueryLimitError } from '../src/errors';
import { delay } from '../src/server/delay';

const nest = (levels: number, inner = '"x"'): string => '{"a":'.repeat(levels) + inner + '}'.repeat(levels);

describe('scanJson', () => {
  it.each([
    ['[]', { ok: true, topLevelItems: 0 }],
    ['[ ]', { ok: true, topLevelItems: 0 }],
    ['[{},{},{}]', { ok: true, topLevelItems: 3 }],
    ['[1, "a,b", {"c": [1,2,3]}]', { ok: true, topLevelItems: 3 }],
    ['["[[[[", "\\"]]]", {}]', { ok: true, topLevelItems: 3 }],
  ])('%s', (text, expected) => {
    expect(scanJson(text)).toEqual(expected);
  });

  it('stops at the first position deeper than the limit, brackets inside strings ignored', () => {
    expect(scanJson(`[${nest(MAX_JSON_DEPTH - 1)}]`).ok).toBe(true);
    expect(scanJson(`[${nest(MAX_JSON_DEPTH)}]`)).toEqual({ ok: false, problem: 'too-deep', position: 1 + 5 * (MAX_JSON_DEPTH - 1) });
    expect(scanJson(`["${'['.repeat(1000)}"]`).ok).toBe(true);
  });

  it('stops counting items once over the cap', () => {
    expect(scanJson('[{},{},{}]', 64, 2)).toEqual({ ok: false, problem: 'too-many-items', position: 6 });
  });
});

describe('parseItems on hostile bodies', () => {
  it('refuses 5,000 levels of nesting inside properties with 400, without parsing it', () => {
    const body = `[{"name":"n","time":"2026-01-01T00:00:00Z","iKey":"k","data":{"baseType":"EventData","baseData":{"name":"e","properties":{"p":${nest(5000)}}}}}]`;
    expect(parseItems(body)).toEqual({ ok: false, status: 400, message: expect.stringContaining(`deeper than ${MAX_JSON_DEPTH} levels`) });
  });

  it('makes a too-deep NDJSON line an item error and keeps the others', () => {
    const result = parseItems(`{"a":1}\n${nest(5000)}`);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.items.map((i) => i.error ?? 'ok')).toEqual(['ok', expect.stringContaining('deeper than')]);
  });

  it.each([
    ['a JSON array', (n: number): string => `[${Array(n).fill('{}').join(',')}]`],
    ['NDJSON', (n: number): string => Array(n).fill('{}').join('\n')],
  ])('refuses %s over the item cap with 413, and takes exactly the cap', (_name, body) => {
    expect(parseItems(body(MAX_ITEMS_PER_REQUEST + 1))).toEqual({ ok: false, status: 413, message: expect.stringContaining(`more than ${MAX_ITEMS_PER_REQUEST} items`) });
    const atCap = parseItems(body(MAX_ITEMS_PER_REQUEST));
    expect(atCap.ok && atCap.items.length).toBe(MAX_ITEMS_PER_REQUEST);
  });
});

describe('KQL parser limits', () => {
  const code = (q: string): string | undefined => {
    try {
      parseKql(q);
      return undefined;
    } catch (e) {
      if (!(e instanceof KqlError)) throw e; // a RangeError (stack overflow) fails the test
      return e.detail['code'];
    }
  };

  it.each([
    ['5,000 nested parentheses', `requests | where ${'('.repeat(5000)}duration${')'.repeat(5000)} > 0`],
    ['a chain of 5,000 additions', `requests | extend x = ${Array(5000).fill('1').join('+')}`],
    ['a chain of 2,000 or', `requests | where ${Array(2000).fill('x > 1').join(' or ')}`],
    ['5,000 unary minus', `requests | extend x = ${'-'.repeat(5000)}1`],
    ['5,000 nested calls', `requests | extend x = ${'not('.repeat(5000)}1${')'.repeat(5000)}`],
    ['a chain of 3,000 member accesses', `requests | extend x = customDimensions${'.a'.repeat(3000)}`],
  ])('refuses %s with ExpressionTooDeep instead of overflowing the stack', (_name, q) => {
    expect(code(q)).toBe('ExpressionTooDeep');
  });

  it('parses expressions up to the depth limit', () => {
    expect(code(`requests | extend x = ${Array(MAX_EXPRESSION_DEPTH).fill('1').join('+')}`)).toBeUndefined();
    expect(code(`requests | where ${'('.repeat(MAX_EXPRESSION_DEPTH - 1)}duration${')'.repeat(MAX_EXPRESSION_DEPTH - 1)} > 0`)).toBeUndefined();
  });

  it('refuses a query longer than the length limit before tokenizing it', () => {
    expect(code(`requests | where name == "${'x'.repeat(MAX_QUERY_CHARS)}"`)).toBe('QueryTooLong');
  });
});

describe('KQL evaluation budget', () => {
  const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ timestamp: i, name: `n${i % 7}`, duration: i, success: true, itemCount: 1 }));
  const source = (): ResultTable => ({ columns: TABLE_SCHEMAS.requests, rows });
  const limitOf = (f: () => unknown): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      if (!(e instanceof QueryLimitError)) throw e;
      return `${e.status} ${e.serviceCode} ${e.limit}`;
    }
  };
  const runWith = (q: string, limits: Partial<typeof DEFAULT_QUERY_LIMITS>, clock?: () => number): ResultTable =>
    evaluateKql(parseKql(q), source, 0, createQueryBudget({ ...DEFAULT_QUERY_LIMITS, ...limits }, clock));

  it('refuses a pipeline whose work is over the budget before evaluating a single row', () => {
    let reads = 0;
    const counted = rows.map((r) => Object.defineProperty({ ...r }, 'duration', { get: () => { reads++; return r['duration']; }, enumerable: true }));
    const countedSource = (): ResultTable => ({ columns: TABLE_SCHEMAS.requests, rows: counted });
    const q = parseKql(`requests${' | where duration >= 0'.repeat(50)}`);
    const budget = (maxCost: number): ReturnType<typeof createQueryBudget> => createQueryBudget({ ...DEFAULT_QUERY_LIMITS, maxCost });
    expect(limitOf(() => evaluateKql(q, countedSource, 0, budget(1000 * 3 * 50 - 1)))).toBe('400 BadArgumentError QueryCost');
    expect(reads).toBe(0);
    expect(evaluateKql(q, countedSource, 0, budget(1000 * 3 * 50)).rows).toHaveLength(1000);
    expect(reads).toBe(1000 * 50);
  });

  it('bounds later operators by take and count when charging up front', () => {
    expect(runWith(`requests | take 10${' | where duration >= 0'.repeat(50)}`, { maxCost: 10 * 3 * 50 }).rows).toHaveLength(10);
  });

  it('refuses a query whose computed cells, summed over its operators, go over the cap; stored cells are free', () => {
    expect(limitOf(() => runWith('requests | project a = 1, b = 2, c = 3', { maxCells: 2999 }))).toBe('400 BadArgumentError ComputedCells');
    expect(runWith('requests | project a = 1, b = 2, c = 3', { maxCells: 3000 }).rows).toHaveLength(1000);
    expect(limitOf(() => runWith('requests | extend a = 1 | extend b = 2', { maxCells: 1999 }))).toBe('400 BadArgumentError ComputedCells');
    expect(runWith('requests | order by name asc', { maxCells: 0 }).rows).toHaveLength(1000);
  });

  it('extends rows without copying them, keeping every column readable', () => {
    const t = runWith('requests | extend a = duration * 2 | extend name = "renamed" | project name, duration, a | take 1', {});
    expect(t.rows).toEqual([{ name: 'renamed', duration: 0, a: 0 }]);
  });

  it('cancels with 504 GatewayTimeout once the clock passes the deadline (checked inside the loops)', () => {
    let now = 0;
    const clock = (): number => (now += 100); // each look at the clock: 100 ms later
    expect(limitOf(() => runWith('requests | where duration >= 0 | order by name asc', { timeoutMillis: 500 }, clock))).toBe('504 GatewayTimeout Timeout');
    expect(runWith('requests | where duration >= 0', { timeoutMillis: 10_000 }, clock).rows).toHaveLength(1000);
  });

  it('refuses a table read of more rows than the scan limit, reading one row past it at most', () => {
    const store = createMemoryStore();
    store.insert('requests', rows.map((r) => ({ ...r, appId: 'app' })));
    const read = jest.spyOn(store, 'read');
    expect(limitOf(() => runQuery(store, 'app', 'requests | count', undefined, 0, createQueryBudget({ ...DEFAULT_QUERY_LIMITS, maxRowsScanned: 999 })))).toBe('400 BadArgumentError RowsScanned');
    expect(read.mock.results[0]?.value).toHaveLength(1000);
    expect(runQuery(store, 'app', 'requests | count', undefined, 0, createQueryBudget({ ...DEFAULT_QUERY_LIMITS, maxRowsScanned: 1000 })).rows).toEqual([{ Count: 1000 }]);
  });
});

describe('delay', () => {
  it('leaves no abort listener behind once the timer fires', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await delay(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('resolves at once when the signal aborts, or was aborted already', async () => {
    const controller = new AbortController();
    const waiting = delay(2_000_000_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(delay(2_000_000_000, controller.signal)).resolves.toBeUndefined();
  });
});
