import { parseKql } from '../src/query/parse-kql';
import { evaluateKql, type ResultTable } from '../src/query/evaluate-kql';
import { formatResult, formatResultChunks, formatTimespan } from '../src/query/format-result';
import { parseTimespan } from '../src/query/parse-timespan';
import { KqlError } from '../src/errors';
import { TABLE_SCHEMAS } from '../src/storage/table-schemas';
import type { Row } from '../src/storage/row';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const minutesAgo = (m: number): number => NOW - m * 60_000;
const ROWS: Row[] = [
  { timestamp: minutesAgo(1), name: 'GET /cart', success: true, resultCode: '200', duration: 100, cloud_RoleName: 'checkout', itemCount: 1, customDimensions: { tier: 'gold' } },
  { timestamp: minutesAgo(2), name: 'GET /cart', success: false, resultCode: '500', duration: 300, cloud_RoleName: 'checkout', itemCount: 1, customDimensions: null },
  { timestamp: minutesAgo(30), name: 'POST /pay', success: true, resultCode: '201', duration: 50, cloud_RoleName: 'payments', itemCount: 2, customDimensions: { tier: 'silver' } },
  { timestamp: minutesAgo(60 * 5), name: 'GET /health', success: true, resultCode: '200', duration: 1, cloud_RoleName: 'payments', itemCount: 1, customDimensions: null },
];
const source = (table: string): ResultTable => {
  if (table !== 'requests') throw new KqlError(`Failed to resolve table '${table}'`);
  return { columns: TABLE_SCHEMAS.requests, rows: ROWS };
};
const run = (q: string): ResultTable => evaluateKql(parseKql(q), source, NOW);
const col = (t: ResultTable, name: string): unknown[] => t.rows.map((r) => r[name] ?? null);

describe('KQL subset', () => {
  it('table alone returns every row with the table columns', () => {
    const t = run('requests');
    expect(t.rows).toHaveLength(4);
    expect(t.columns).toBe(TABLE_SCHEMAS.requests);
  });

  it.each([
    ['name == "GET /cart"', ['GET /cart', 'GET /cart']],
    ['name != "GET /cart"', ['POST /pay', 'GET /health']],
    ['duration < 100', ['POST /pay', 'GET /health']],
    ['duration <= 100', ['GET /cart', 'POST /pay', 'GET /health']],
    ['duration > 100', ['GET /cart']],
    ['duration >= 100', ['GET /cart', 'GET /cart']],
    ['success == false', ['GET /cart']],
    ['name contains "CART" and resultCode == "200"', ['GET /cart']],
    ['name startswith "post" or duration == 1', ['POST /pay', 'GET /health']],
    ['timestamp > ago(1h)', ['GET /cart', 'GET /cart', 'POST /pay']],
    ['timestamp > ago(5m)', ['GET /cart', 'GET /cart']],
    ['timestamp < ago(1d)', []],
    ['timestamp >= datetime(2026-01-01T11:58:00Z)', ['GET /cart', 'GET /cart']],
    ["customDimensions.tier == 'gold'", ['GET /cart']],
    // success is a string column ("True"/"False"): Kusto refuses not(success), so it is converted first
    ['(duration > 200 or duration < 10) and not(tobool(success))', ['GET /cart']],
  ])('where %s', (predicate, names) => {
    expect(col(run(`requests | where ${predicate}`), 'name')).toEqual(names);
  });

  it('project keeps and renames columns, in order', () => {
    const t = run('requests | project name, code = resultCode, ms = duration * 2');
    expect(t.columns).toEqual([{ name: 'name', type: 'string' }, { name: 'code', type: 'string' }, { name: 'ms', type: 'real' }]);
    expect(t.rows[0]).toEqual({ name: 'GET /cart', code: '200', ms: 200 });
  });

  it('extend adds computed columns (arithmetic, column refs, literals)', () => {
    const t = run('requests | extend seconds = duration / 1000, label = "x", total = itemCount + 1, age = now() - timestamp | take 1');
    // itemCount is real in the query API's schema, so itemCount + 1 is real
    expect(t.columns.slice(-4)).toEqual([{ name: 'seconds', type: 'real' }, { name: 'label', type: 'string' }, { name: 'total', type: 'real' }, { name: 'age', type: 'timespan' }]);
    expect(t.rows[0]).toMatchObject({ seconds: 0.1, label: 'x', total: 2, age: 60_000 });
  });

  it.each([['take'], ['limit']])('%s N keeps the first N rows', (op) => {
    expect(col(run(`requests | ${op} 2`), 'duration')).toEqual([100, 300]);
  });

  it('top N by col desc/asc', () => {
    expect(col(run('requests | top 2 by duration'), 'duration')).toEqual([300, 100]);
    expect(col(run('requests | top 2 by duration asc'), 'duration')).toEqual([1, 50]);
  });

  it.each([['order'], ['sort']])('%s by sorts (desc by default, asc on request, several keys)', (op) => {
    expect(col(run(`requests | ${op} by duration`), 'duration')).toEqual([300, 100, 50, 1]);
    expect(col(run(`requests | ${op} by cloud_RoleName asc, duration desc`), 'duration')).toEqual([300, 100, 50, 1]);
    expect(col(run(`requests | ${op} by name asc`), 'name')).toEqual(['GET /cart', 'GET /cart', 'GET /health', 'POST /pay']);
  });

  it('summarize count(), sum(), avg(), min(), max() by a column', () => {
    const t = run('requests | summarize n = count(), sum(itemCount), avg(duration), min(duration), max(duration) by cloud_RoleName');
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['cloud_RoleName:string', 'n:long', 'sum_itemCount:real', 'avg_duration:real', 'min_duration:real', 'max_duration:real']);
    expect(t.rows).toEqual([
      { cloud_RoleName: 'checkout', n: 2, sum_itemCount: 2, avg_duration: 200, min_duration: 100, max_duration: 300 },
      { cloud_RoleName: 'payments', n: 2, sum_itemCount: 3, avg_duration: 25.5, min_duration: 1, max_duration: 50 },
    ]);
  });

  it('summarize by bin(timestamp, 1m) names the bin column timestamp', () => {
    const t = run('requests | where timestamp > ago(1h) | summarize count() by bin(timestamp, 1m) | order by timestamp asc');
    expect(t.columns).toEqual([{ name: 'timestamp', type: 'datetime' }, { name: 'count_', type: 'long' }]);
    expect(t.rows).toEqual([{ timestamp: minutesAgo(30), count_: 1 }, { timestamp: minutesAgo(2), count_: 1 }, { timestamp: minutesAgo(1), count_: 1 }]);
  });

  it('summarize without rows and without by still answers one row', () => {
    expect(run('requests | where duration > 1000 | summarize count()').rows).toEqual([{ count_: 0 }]);
  });

  it('count returns one Count column', () => {
    const t = run('requests | where success == true | count');
    expect(t).toEqual({ columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: 3 }] });
  });

  it.each([
    ['requests | join (dependencies) on id', "'dependencies'"], // this source has no dependencies table
    ['requests | evaluate bag_unpack(customDimensions)', "'evaluate'"],
    ['requests | where nosuchcolumn == 1', "'nosuchcolumn'"],
    ['requests | where', 'Missing expression'],
    ['requests | take "ten"', 'The expression value must be an integer'],
    ['requests | where name == "unterminated', 'Missing: "'],
    ['pageViews', "'pageViews'"],
  ])('rejects %s naming %s', (query, fragment) => {
    expect(() => run(query)).toThrow(KqlError);
    expect(() => run(query)).toThrow(fragment);
  });

  it('formats datetimes, timespans and dynamics like the query API', () => {
    const result = formatResult(run('requests | take 1 | project timestamp, customDimensions, age = now() - timestamp, success'));
    // success is a string column: the query API returns "True"/"False"
    expect(result.tables[0]?.rows[0]).toEqual(['2026-01-01T11:59:00.000Z', '{"tier":"gold"}', '00:01:00', 'True']);
    expect(formatTimespan(90061001.5)).toBe('1.01:01:01.0015000');
  });

  it.each([
    ['every row, pieces smaller than a row', 'requests', 1],
    ['every row, one piece', 'requests', 64 * 1024],
    ['no row', 'requests | where duration < 0', 1],
  ])('streams the same JSON as formatResult: %s', (_case, query, chunkChars) => {
    const table = run(query);
    const pieces = [...formatResultChunks(table, chunkChars)];
    expect(JSON.parse(pieces.join(''))).toEqual(formatResult(table));
    if (chunkChars === 1 && table.rows.length > 0) expect(pieces.length).toBe(table.rows.length + 1);
  });
});

describe('parseTimespan', () => {
  it.each([
    ['P1D', NOW - 86_400_000, NOW + 1],
    ['PT1H', NOW - 3_600_000, NOW + 1],
    ['PT30M', NOW - 1_800_000, NOW + 1],
    ['2026-01-01T00:00:00Z/2026-01-01T06:00:00Z', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T06:00:00Z')],
    ['2026-01-01T00:00:00Z/PT1H', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-01T01:00:00Z')],
  ])('parses %s', (text, from, to) => {
    expect(parseTimespan(text, NOW)).toEqual({ fromTimestamp: from, toTimestamp: to });
  });

  it.each([['1 day'], ['P'], ['PT'], ['a/b/c']])('rejects %p', (text) => {
    expect(() => parseTimespan(text, NOW)).toThrow(KqlError);
  });
});
