// The range operator (src/query/range-operator.ts) against Kusto's range operator page.
import { rangeCount } from '../src/query/range-operator';
import { KqlError, QueryLimitError } from '../src/errors';
import { refusalOnSeed, runOnSeed } from './helpers/run-kql';

describe('rangeCount', () => {
  it.each([
    [1, 8, 3, 3],
    [1, 1, 1, 1],
    [10, 1, -4, 3],
    [5, 1, 1, 0],
    [0.1, 0.3, 0.1, 3],
    [0, 3_600_000, 60_000, 61],
  ])('from %p to %p step %p has %p values', (start, stop, step, count) => {
    expect(rangeCount(start, stop, step)).toBe(count);
  });

  it.each([
    [1, 2, 0],
    [1, null, 1],
    [null, 2, 1],
  ])('from %p to %p step %p is refused', (start, stop, step) => {
    expect(rangeCount(start, stop, step)).toBeInstanceOf(KqlError);
  });
});

describe('range over the seed', () => {
  it.each([
    ['range Steps from 1 to 8 step 3', ['Steps'], ['long'], [[1], [4], [7]]],
    ['range x from 10 to 1 step -4', ['x'], ['long'], [[10], [6], [2]]],
    ['range x from 1.5 to 2.5 step 0.5', ['x'], ['real'], [[1.5], [2], [2.5]]],
    ['range t from datetime(2026-01-01) to datetime(2026-01-01 12:00) step 6h', ['t'], ['datetime'], [['2026-01-01T00:00:00.000Z'], ['2026-01-01T06:00:00.000Z'], ['2026-01-01T12:00:00.000Z']]],
    ['range d from 0s to 2m step 1m', ['d'], ['timespan'], [['00:00:00'], ['00:01:00'], ['00:02:00']]],
    ['range x from 5 to 1 step 1', ['x'], ['long'], []],
    ['range LastHour from ago(1h) to now() step 30m | count', ['Count'], ['long'], [[3]]],
    ['range x from 1 to 3 step 1 | extend y = x * 2 | where y > 2', ['x', 'y'], ['long', 'long'], [[2, 4], [3, 6]]],
  ])('%s', (query, columns, types, rows) => {
    expect(runOnSeed(query)).toEqual({ columns, types, rows });
  });

  it('refuses a zero step: a literal one as Kusto.Language does, a computed one naming the fix', () => {
    expect(refusalOnSeed('range x from 1 to 2 step 0').message).toContain('must not be the value: 0');
    const e = refusalOnSeed('range x from 1 to 2 step tolong("0")');
    expect(e.message).toContain("'step' must not be zero");
    expect(e.detail['operator']).toBe('range');
  });

  it('refuses a range over the cell cap before building its rows', () => {
    expect(() => runOnSeed('range x from 1 to 100000000 step 1')).toThrow(QueryLimitError);
  });
});
