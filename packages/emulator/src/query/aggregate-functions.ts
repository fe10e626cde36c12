/** Kusto aggregation functions of `summarize` (and `make-series`), over the values of one group. */
import type { CellValue } from '../storage/row';
import { compareCells, groupKey, isNum, truthy } from './kql-values';
import { buildSchema } from './build-schema';

/** The evaluated arguments of an aggregation, one array per row of the group. */
type AggregateInput = readonly (readonly CellValue[])[];

type AggregateFunction = (rows: AggregateInput) => CellValue;

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const numbers = (rows: AggregateInput, i = 0): number[] => rows.map((r) => r[i] ?? null).filter(isNum);
const where = (rows: AggregateInput, predicate: number): AggregateInput => rows.filter((r) => truthy(r[predicate] ?? null));
const present = (rows: AggregateInput, i = 0): CellValue[] => rows.map((r) => r[i] ?? null).filter((v) => v !== null && v !== '');

function distinctCount(values: CellValue[]): number {
  return new Set(values.map((v) => groupKey([v]))).size;
}

function extreme(values: CellValue[], sign: 1 | -1): CellValue {
  return values.reduce<CellValue>((m, v) => (m === null || sign * compareCells(v, m) > 0 ? v : m), null);
}

function makeList(values: CellValue[], max: CellValue): CellValue {
  return isNum(max) ? values.slice(0, max) : values;
}

function makeSet(values: CellValue[], max: CellValue): CellValue {
  const seen = new Map<string, CellValue>();
  for (const v of values) if (!seen.has(groupKey([v]))) seen.set(groupKey([v]), v);
  return makeList([...seen.values()], max);
}

function variance(xs: number[]): number | null {
  if (xs.length < 2) return xs.length === 1 ? 0 : null;
  const mean = sum(xs) / xs.length;
  return sum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1);
}

/**
 * Nearest-rank percentile: the smallest value with at least `p`% of the values at or below it
 * (Kusto's percentile over a small exact set returns one of the values, never an interpolation).
 */
export function percentileOf(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

const AGGREGATES: Readonly<Record<string, AggregateFunction>> = {
  count: (rows) => rows.length,
  countif: (rows) => where(rows, 0).length,
  sum: (rows) => sum(numbers(rows)),
  sumif: (rows) => sum(numbers(where(rows, 1))),
  avg: (rows) => { const xs = numbers(rows); return xs.length ? sum(xs) / xs.length : null; },
  avgif: (rows) => { const xs = numbers(where(rows, 1)); return xs.length ? sum(xs) / xs.length : null; },
  min: (rows) => extreme(present(rows), -1),
  max: (rows) => extreme(present(rows), 1),
  minif: (rows) => extreme(present(where(rows, 1)), -1),
  maxif: (rows) => extreme(present(where(rows, 1)), 1),
  dcount: (rows) => distinctCount(present(rows)),
  dcountif: (rows) => distinctCount(present(where(rows, 1))),
  count_distinct: (rows) => distinctCount(present(rows)),
  make_list: (rows) => makeList(rows.map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[1] ?? null),
  make_list_if: (rows) => makeList(where(rows, 1).map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[2] ?? null),
  make_list_with_nulls: (rows) => rows.map((r) => r[0] ?? null),
  make_set: (rows) => makeSet(rows.map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[1] ?? null),
  make_set_if: (rows) => makeSet(where(rows, 1).map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[2] ?? null),
  make_bag: (rows) => Object.assign({}, ...rows.map((r) => r[0]).filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) as CellValue,
  any: (rows) => rows[0]?.[0] ?? null,
  take_any: (rows) => rows[0]?.[0] ?? null,
  anyif: (rows) => where(rows, 1)[0]?.[0] ?? null,
  take_anyif: (rows) => where(rows, 1)[0]?.[0] ?? null,
  stdev: (rows) => { const v = variance(numbers(rows)); return v === null ? null : Math.sqrt(v); },
  stdevif: (rows) => { const v = variance(numbers(where(rows, 1))); return v === null ? null : Math.sqrt(v); },
  variance: (rows) => variance(numbers(rows)),
  // Deprecated names the binder still accepts (used by older documentation).
  makelist: (rows) => makeList(rows.map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[1] ?? null),
  makeset: (rows) => makeSet(rows.map((r) => r[0] ?? null).filter((v) => v !== null), rows[0]?.[1] ?? null),
  buildschema: (rows) => buildSchema(rows.map((r) => r[0] ?? null)),
  percentile: (rows) => percentileOf(numbers(rows), isNum(rows[0]?.[1] ?? null) ? (rows[0]?.[1] as number) : 50),
};

/** The aggregation `name` (single-valued), or undefined. */
export function aggregateFunction(name: string): AggregateFunction | undefined {
  return Object.hasOwn(AGGREGATES, name) ? AGGREGATES[name] : undefined;
}

/** Aggregations that produce several columns (`percentiles`, `arg_max`, `arg_min`). */
export const MULTI_COLUMN_AGGREGATES: ReadonlySet<string> = new Set(['percentiles', 'arg_max', 'arg_min', 'argmax', 'argmin']);

/** True when `name` is an aggregation the emulator evaluates. */
export function isAggregate(name: string): boolean {
  return Object.hasOwn(AGGREGATES, name) || MULTI_COLUMN_AGGREGATES.has(name);
}
