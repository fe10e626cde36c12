// The KQL operators and functions the emulator evaluates, each on the corpus seed (seed.ts) with
// its result worked out by hand.
import { evaluateKql } from '../src/query/evaluate-kql';
import { formatResult } from '../src/query/format-result';
import { parseKql } from '../src/query/parse-kql';
import { kqlErrorBody } from '../src/query/handle-query';
import { KqlError } from '../src/errors';
import { NOW, seededSource } from './kql-corpus/seed';
import { T } from './kql-corpus/documented-queries';

const run = (q: string): { columns: string[]; rows: unknown[][] } => {
  const table = formatResult(evaluateKql(parseKql(q), seededSource, NOW)).tables[0];
  return { columns: (table?.columns ?? []).map((c) => c.name), rows: table?.rows ?? [] };
};
const rows = (q: string): unknown[][] => run(q).rows;
const refusal = (q: string): KqlError => {
  try {
    run(q);
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
  throw new Error(`expected ${q} to be refused`);
};

describe('KQL operators and functions over the seed', () => {
  it.each([
    // string comparison: == is case-sensitive, =~ is not; has matches whole terms, contains substrings
    ['requests | where name == "get /cart" | count', [[0]]],
    ['requests | where name =~ "get /cart" | count', [[2]]],
    ['requests | where name has "cart" | count', [[2]]],
    ['requests | where name has "car" | count', [[0]]],
    ['requests | where name contains "car" | count', [[2]]],
    ['requests | where name !contains "car" | count', [[2]]],
    ['requests | where name startswith "get" | count', [[3]]],
    // in / !in / in~
    ['requests | where name in ("GET /cart", "POST /pay") | count', [[3]]],
    ['requests | where name !in ("GET /cart", "POST /pay") | count', [[1]]],
    ['requests | where name in~ ("get /cart") | count', [[2]]],
    ['requests | where operation_Id in (dependencies | where type == "SQL" | project operation_Id) | count', [[2]]],
    // between (numbers, and datetime .. timespan), matches regex
    ['requests | where duration between (50 .. 100) | project name', [['GET /cart'], ['POST /pay']]],
    ['requests | where timestamp between (datetime(2026-01-01 11:00) .. 1h) | count', [[3]]],
    ['requests | where name matches regex "^GET /[a-z]+$" | count', [[3]]],
    // empty / null
    ['requests | where isempty(client_City) | count', [[1]]],
    ['requests | where notempty(client_City) | count', [[3]]],
    ['requests | summarize avg(todouble(customMeasurements.score))', [[35 / 3]]],
    // dynamic access
    ['requests | where customDimensions.game == "chess" | count', [[2]]],
    ['requests | where customDimensions["game"] == "go" | count', [[1]]],
    ['requests | extend d = todynamic(\'{"a":[1,2]}\') | project x = d.a[1], y = parse_json(\'{"b":"c"}\').b | take 1', [['2', 'c']]],
    // iff / iif / case
    ['requests | project ok = iff(success == "True", "yes", "no")', [['yes'], ['no'], ['yes'], ['yes']]],
    ['requests | project ok = iif(duration > 60, 1, 0)', [[1], [1], [0], [0]]],
    ['requests | project c = case(duration > 200, "slow", duration > 50, "ok", "fast")', [['ok'], ['slow'], ['fast'], ['fast']]],
    // aggregates, arithmetic over aggregates, round
    ['requests | summarize failures = countif(success == false), total = sum(itemCount), rate = round(100.0 * countif(success == false) / count(), 2)', [[1, 5, 25]]],
    ['requests | summarize sumif(duration, success == "True"), dcountif(name, duration > 20)', [[160, 2]]],
    ['requests | summarize percentile(duration, 95), percentiles(duration, 50, 90)', [[300, 50, 300]]],
    ['requests | summarize make_list(name), make_set(cloud_RoleName)', [['["GET /cart","GET /cart","POST /pay","GET /health"]', '["web","api"]']]],
    ['requests | summarize arg_max(duration, name), arg_min(duration, name)', [[300, 'GET /cart', 10, 'GET /health']]],
    ['requests | summarize arg_max(timestamp, *) by cloud_RoleName | project cloud_RoleName, name, duration', [['web', 'GET /cart', 100], ['api', 'POST /pay', 50]]],
    ['requests | summarize avg(duration), count() by bin(timestamp, 1h) | order by timestamp asc', [[T('10:00'), 10, 1], [T('11:00'), 150, 3]]],
    ['let total = toscalar(requests | summarize sum(itemCount)); requests | summarize share = 100.0 * sum(itemCount) / total by cloud_RoleName', [['web', 40], ['api', 60]]],
    // distinct, top, sort
    ['requests | distinct cloud_RoleName', [['web'], ['api']]],
    ['requests | top 2 by duration desc | project name, duration', [['GET /cart', 300], ['GET /cart', 100]]],
    ['requests | sort by cloud_RoleName asc, duration desc | project duration', [[50], [10], [300], [100]]],
    // parse, extract, split, strcat, mv-expand
    ['traces | parse message with * "code=" code | where isnotempty(code) | project code', [['E42']]],
    ['traces | project n = toint(extract("items=([0-9]+)", 1, message))', [[3], [null], [null]]],
    ['requests | take 1 | mv-expand part = split(url, "/") | project part', [['http:'], [''], ['shop'], ['cart']]],
    ['exceptions | mv-expand d = details | project t = tostring(d.type)', [['System.InvalidOperationException'], ['TypeError']]],
    ['requests | project s = strcat(name, " -> ", resultCode) | take 1', [['GET /cart -> 200']]],
    // time: literals, arithmetic, functions
    ['requests | where timestamp > ago(1h) | count', [[3]]],
    ['requests | where timestamp > startofday(now()) and timestamp < now() - 30m | count', [[1]]],
    ['requests | project t = 5m + 1h, d = datetime(2026-01-01) + 1d | take 1', [['01:05:00', '2026-01-02T00:00:00.000Z']]],
    ['requests | project f = format_datetime(timestamp, "yyyy-MM-dd HH:mm") | take 1', [['2026-01-01 11:58']]],
    ['requests | project m = datetime_diff("minute", datetime(2026-01-01T12:00:00Z), timestamp) | take 2', [[2], [3]]],
    // make-series
    ['requests | make-series n = count() default = 0 on timestamp from datetime(2026-01-01T10:00:00Z) to datetime(2026-01-01T12:00:00Z) step 1h by cloud_RoleName', [
      ['web', '[0,2]', '["2026-01-01T10:00:00.0000000Z","2026-01-01T11:00:00.0000000Z"]'],
      ['api', '[1,1]', '["2026-01-01T10:00:00.0000000Z","2026-01-01T11:00:00.0000000Z"]'],
    ]],
    // union and join kinds (innerunique, the default, keeps the first left row of each key)
    ['union requests, dependencies | count', [[7]]],
    ['requests | join kind=inner (dependencies | project operation_Id, dep = name) on operation_Id | project name, dep', [['GET /cart', 'SELECT'], ['GET /cart', 'GET /api'], ['POST /pay', 'SELECT']]],
    ['requests | join kind=leftouter (exceptions | project operation_Id, problemId) on operation_Id | project name, problemId', [['GET /cart', ''], ['GET /cart', 'P1'], ['POST /pay', ''], ['GET /health', '']]],
    ['union requests, requests | join (dependencies) on operation_Id | count', [[3]]],
    ['union requests, requests | join kind=inner (dependencies) on operation_Id | count', [[6]]],
    ['requests | join kind=leftanti (dependencies) on operation_Id | project name', [['GET /health']]],
    ['requests | join kind=inner (traces) on $left.operation_Id == $right.operation_Id | project message', [['cart loaded items=3'], ['payment failed code=E42']]],
    ['requests | lookup (traces | project operation_Id, message) on operation_Id | project name, message', [['GET /cart', 'cart loaded items=3'], ['GET /cart', 'payment failed code=E42'], ['POST /pay', ''], ['GET /health', '']]],
    ['requests | lookup kind=inner (traces | project operation_Id, message) on operation_Id | count', [[2]]],
    // sources without a table
    ['print x = 1, y = strcat("a", "b")', [[1, 'ab']]],
    ['datatable(a: long, b: string) [1, "x", 2, "y"] | where a > 1', [[2, 'y']]],
    ['customMetrics | getschema | take 3', [['timestamp', 0, 'System.DateTime', 'datetime'], ['name', 1, 'System.String', 'string'], ['value', 2, 'System.Double', 'real']]],
  ])('%s', (query, expected) => {
    expect(rows(query)).toEqual(expected);
  });

  it.each([
    ['requests | summarize count(), avg(duration), percentile(duration, 95) by tostring(customDimensions.game)', ['customDimensions_game', 'count_', 'avg_duration', 'percentile_duration_95']],
    ['requests | summarize sum(itemCount), dcount(name) by bin(timestamp, 1h)', ['timestamp', 'sum_itemCount', 'dcount_name']],
    ['requests | project-away customDimensions | project-rename Name = name | project-reorder Name, duration | take 1', ['Name', 'duration', 'timestamp', 'id', 'source', 'url']],
    ['requests | extend seconds = duration / 1000 | project-keep name, seconds', ['name', 'seconds']],
    ['requests | join kind=inner (dependencies) on operation_Id | project name, name1', ['name', 'name1']],
  ])('names the columns of %s as Kusto does', (query, columns) => {
    expect(run(query).columns.slice(0, columns.length)).toEqual(columns);
  });

  it('returns render as the visualization hint, in the response only when asked', () => {
    const table = evaluateKql(parseKql('requests | summarize count() by bin(timestamp, 1h) | render timechart with (title="Requests")'), seededSource, NOW);
    expect(formatResult(table).render).toBeUndefined();
    expect(formatResult(table, { includeRender: true }).render).toMatchObject({ visualization: 'timechart', title: 'Requests', accumulate: false, yMin: 'NaN', xColumn: null });
  });

  it.each([
    ['requests | evaluate bag_unpack(customDimensions)', "Query operator 'evaluate'", 'UnsupportedByEmulator'],
    ['requests | sample-distinct 2 of name', "Query operator 'sample-distinct'", 'UnsupportedByEmulator'],
    // facet and fork answer several tables: the refusal names the operator, not the table before it
    ['requests | facet by name', "Query operator 'facet'", 'UnsupportedByEmulator'],
    ['requests | fork (take 1) (take 2)', "Query operator 'fork'", 'UnsupportedByEmulator'],
    ['requests | extend h = hll(duration)', "'hll'", 'SEM0100'],
    ['requests | extend s = series_stats(dynamic([1]))', "Function 'series_stats'", 'UnsupportedByEmulator'],
    ['requests | where nosuch == 1', "'nosuch'", 'SEM0100'],
    ['requests | whre x', 'Query could not be parsed', 'SYN0002'],
  ])('refuses %s with a 400 naming %s', (query, fragment, code) => {
    const e = refusal(query);
    expect(e.message).toContain(fragment);
    expect(e.detail['code']).toBe(code);
  });

  it('nests error bodies as the query API documents them', () => {
    expect(kqlErrorBody(refusal('requests | where nosuch == 1'))).toEqual({
      error: {
        code: 'BadArgumentError', message: 'The request had some invalid properties',
        innererror: {
          code: 'SemanticError', message: 'A semantic error occurred.',
          innererror: expect.objectContaining({ code: 'SEM0100', message: expect.stringContaining("'nosuch'"), kustoCode: 'KS142', line: '1', pos: '17', token: 'nosuch' }),
        },
      },
    });
    expect(kqlErrorBody(refusal('requests | whre x')).error['innererror']).toMatchObject({ code: 'SyntaxError', innererror: { code: 'SYN0002', line: '1' } });
  });
});
