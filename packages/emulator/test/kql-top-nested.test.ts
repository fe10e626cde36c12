// The top-nested operator (src/query/top-nested-operator.ts) against Kusto's top-nested page, on
// the corpus seed: requests GET /cart x2 (London 100 ms, Paris 300 ms), POST /pay (Stockholm, 50 ms),
// GET /health (no city, 10 ms).
import { byAggregate } from '../src/query/top-nested-operator';
import { runOnSeed } from './helpers/run-kql';

describe('byAggregate', () => {
  it.each([
    [true, [1, null, 3, 2], [3, 2, 1, null]],
    [false, [1, null, 3, 2], [1, 2, 3, null]],
  ])('desc=%p orders %p as %p (nulls last)', (desc, values, sorted) => {
    expect([...values].sort(byAggregate(desc))).toEqual(sorted);
  });
});

describe('top-nested over the seed', () => {
  it.each([
    ['requests | top-nested 1 of name by count()', ['name', 'aggregated_name'], [['GET /cart', 2]]],
    ['requests | top-nested 2 of name by sum(duration) asc', ['name', 'aggregated_name'], [['GET /health', 10], ['POST /pay', 50]]],
    ['requests | top-nested of name by n = count() | top 1 by n desc', ['name', 'n'], [['GET /cart', 2]]],
    [
      'requests | top-nested 1 of name by count(), top-nested 1 of client_City by max(duration)',
      ['name', 'aggregated_name', 'client_City', 'aggregated_client_City'],
      [['GET /cart', 2, 'Paris', 300]],
    ],
    [
      'requests | top-nested 1 of name with others = "rest" by count(), top-nested 1 of client_City by sum(duration)',
      ['name', 'aggregated_name', 'client_City', 'aggregated_client_City'],
      [['GET /cart', 2, 'Paris', 300], ['rest', 2, '', null]],
    ],
    [
      'requests | top-nested 2 of name by count(), top-nested 5 of client_City with others = "other" by count()',
      ['name', 'aggregated_name', 'client_City', 'aggregated_client_City'],
      [['GET /cart', 2, 'London', 1], ['GET /cart', 2, 'Paris', 1], ['POST /pay', 1, 'Stockholm', 1]],
    ],
  ])('%s', (query, columns, rows) => {
    const result = runOnSeed(query);
    expect(result.columns).toEqual(columns);
    expect(result.rows).toEqual(rows);
  });
});
