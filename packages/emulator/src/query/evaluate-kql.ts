import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KustoType } from '../storage/table-schemas';
import type { Aggregate, KqlExpr, KqlOperator, KqlQuery, NamedExpr, SortKey } from './kql-ast';
import { createQueryBudget, type QueryBudget } from './query-budget';

/** A column type in query results (storage types plus `timespan`). */
export type ResultType = KustoType | 'timespan';

/** A result column. */
export interface ResultColumn {
  readonly name: string;
  readonly type: ResultType;
}

/** An in-memory table while a query runs (datetimes and timespans are milliseconds). */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly Row[];
}

/** Loads a table's schema and rows (already restricted to the query's app and timespan). */
export type TableSource = (table: string) => ResultTable;

const isNum = (v: CellValue): v is number => typeof v === 'number';

function unknownColumn(name: string): KqlError {
  return new KqlError(`Failed to resolve scalar expression named '${name}'`, { code: 'SEM0100', column: name });
}

/** Static type of an expression over a set of columns (also rejects unknown columns). */
export function typeOf(expr: KqlExpr, columns: readonly ResultColumn[]): ResultType {
  switch (expr.kind) {
    case 'literal': return expr.type === 'null' ? 'string' : expr.type;
    case 'column': {
      const c = columns.find((x) => x.name === expr.name);
      if (!c) throw unknownColumn(expr.name);
      return c.type;
    }
    case 'member': typeOf(expr.object, columns); return 'dynamic';
    case 'unary': return expr.op === 'not' ? 'bool' : typeOf(expr.operand, columns);
    case 'binary': {
      const l = typeOf(expr.left, columns);
      const r = typeOf(expr.right, columns);
      if (!['+', '-', '*', '/', '%'].includes(expr.op)) return 'bool';
      if (l === 'datetime' && r === 'datetime') return 'timespan';
      if (l === 'datetime' || r === 'datetime') return 'datetime';
      if (l === 'timespan' || r === 'timespan') return (expr.op === '/' && l === 'timespan' && r === 'timespan') ? 'real' : 'timespan';
      if ((l === 'long' || l === 'int') && (r === 'long' || r === 'int')) return 'long';
      return 'real';
    }
    case 'call': {
      const argTypes = expr.args.map((a) => typeOf(a, columns));
      switch (expr.name) {
        case 'ago': case 'now': case 'datetime': return 'datetime';
        case 'bin': case 'floor': return argTypes[0] ?? 'real';
        case 'tostring': case 'tolower': case 'toupper': return 'string';
        case 'tolong': case 'strlen': return 'long';
        case 'toint': return 'int';
        case 'todouble': case 'toreal': return 'real';
        default: return 'bool';
      }
    }
  }
}

function truthy(v: CellValue): boolean {
  return v === true;
}

function text(v: CellValue): string {
  if (v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function equal(a: CellValue, b: CellValue): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'number' && typeof b === 'string') return a === Number(b);
  if (typeof b === 'number' && typeof a === 'string') return b === Number(a);
  return a === b;
}

/** Orders two cell values (nulls first); numbers numerically, everything else as text. */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (isNum(a) && isNum(b)) return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function arith(op: string, a: CellValue, b: CellValue, integer: boolean): CellValue {
  if (!isNum(a) || !isNum(b)) return null;
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? null : integer ? Math.trunc(a / b) : a / b;
    default: return b === 0 ? null : a % b;
  }
}

function binary(op: string, a: CellValue, b: CellValue, integer: boolean): CellValue {
  switch (op) {
    case 'and': return truthy(a) && truthy(b);
    case 'or': return truthy(a) || truthy(b);
    case '==': return equal(a, b);
    case '!=': return a !== null && b !== null && !equal(a, b);
    case '=~': return a !== null && b !== null && text(a).toLowerCase() === text(b).toLowerCase();
    case '!~': return a !== null && b !== null && text(a).toLowerCase() !== text(b).toLowerCase();
    case '<': return a !== null && b !== null && compareCells(a, b) < 0;
    case '<=': return a !== null && b !== null && compareCells(a, b) <= 0;
    case '>': return a !== null && b !== null && compareCells(a, b) > 0;
    case '>=': return a !== null && b !== null && compareCells(a, b) >= 0;
    case 'contains': case 'has': return text(a).toLowerCase().includes(text(b).toLowerCase());
    case '!contains': case '!has': return !text(a).toLowerCase().includes(text(b).toLowerCase());
    case 'startswith': return text(a).toLowerCase().startsWith(text(b).toLowerCase());
    case '!startswith': return !text(a).toLowerCase().startsWith(text(b).toLowerCase());
    case 'endswith': return text(a).toLowerCase().endsWith(text(b).toLowerCase());
    default: return arith(op, a, b, integer);
  }
}

function call(name: string, args: CellValue[], nowMillis: number): CellValue {
  const [a, b] = args as [CellValue, CellValue];
  switch (name) {
    case 'ago': return isNum(a) ? nowMillis - a : null;
    case 'now': return nowMillis + (isNum(a) ? a : 0);
    case 'datetime': return typeof a === 'string' && !Number.isNaN(Date.parse(a)) ? Date.parse(a) : null;
    case 'bin': case 'floor': return isNum(a) && isNum(b) && b > 0 ? Math.floor(a / b) * b : null;
    case 'tostring': return a === null ? '' : text(a);
    case 'tolong': case 'toint': { const n = Number(a); return a === null || Number.isNaN(n) ? null : Math.trunc(n); }
    case 'todouble': case 'toreal': { const n = Number(a); return a === null || Number.isNaN(n) ? null : n; }
    case 'tobool': return typeof a === 'boolean' ? a : typeof a === 'string' ? (a.toLowerCase() === 'true' ? true : a.toLowerCase() === 'false' ? false : null) : isNum(a) ? a !== 0 : null;
    case 'isempty': return a === null || a === '';
    case 'isnotempty': return !(a === null || a === '');
    case 'isnull': return a === null;
    case 'isnotnull': return a !== null;
    case 'strlen': return a === null ? null : text(a).length;
    case 'tolower': return a === null ? null : text(a).toLowerCase();
    case 'toupper': return a === null ? null : text(a).toUpperCase();
    case 'not': return !truthy(a);
    default: throw new KqlError(`Function '${name}' is not supported by the appinsights emulator`, { code: 'UnsupportedFunction', function: name });
  }
}

/** Compiles an expression (type-checked against the columns) to a row function. */
export function compileExpr(expr: KqlExpr, columns: readonly ResultColumn[], nowMillis: number): (row: Row) => CellValue {
  typeOf(expr, columns);
  const build = (e: KqlExpr): ((row: Row) => CellValue) => {
    switch (e.kind) {
      case 'literal': { const v = e.value; return () => v; }
      case 'column': { const n = e.name; return (row) => row[n] ?? null; }
      case 'member': {
        const o = build(e.object);
        const k = e.key;
        return (row) => {
          let v = o(row);
          if (typeof v === 'string') { try { v = JSON.parse(v) as CellValue; } catch { return null; } }
          return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, k) ? ((v[k] as CellValue | undefined) ?? null) : null;
        };
      }
      case 'unary': {
        const f = build(e.operand);
        return e.op === '-' ? (row) => { const v = f(row); return isNum(v) ? -v : null; } : (row) => !truthy(f(row));
      }
      case 'binary': {
        const l = build(e.left);
        const r = build(e.right);
        const op = e.op;
        const integer = typeOf(e, columns) === 'long';
        return (row) => binary(op, l(row), r(row), integer);
      }
      case 'call': {
        const fs = e.args.map(build);
        const name = e.name;
        return (row) => call(name, fs.map((f) => f(row)), nowMillis);
      }
    }
  };
  return build(expr);
}

function sortRows(table: ResultTable, keys: readonly SortKey[], nowMillis: number, budget: QueryBudget): Row[] {
  const fs = keys.map((k) => ({ f: compileExpr(k.expr, table.columns, nowMillis), desc: k.descending }));
  const decorated = table.rows.map((row) => { budget.tick(); return { row, keys: fs.map((k) => k.f(row)) }; });
  decorated.sort((a, b) => {
    budget.tick();
    for (let i = 0; i < fs.length; i++) {
      const c = compareCells(a.keys[i] as CellValue, b.keys[i] as CellValue);
      if (c !== 0) return (fs[i] as { desc: boolean }).desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

function aggregateType(a: Aggregate, columns: readonly ResultColumn[]): ResultType {
  if (a.fn === 'count' || a.fn === 'dcount') return 'long';
  const t = typeOf(a.arg as KqlExpr, columns);
  if (a.fn === 'avg') return t === 'timespan' ? 'timespan' : 'real';
  if (a.fn === 'sum') return t === 'long' || t === 'int' ? 'long' : t === 'timespan' ? 'timespan' : 'real';
  return t;
}

function summarize(table: ResultTable, aggregates: readonly Aggregate[], by: readonly { name: string; expr: KqlExpr }[], nowMillis: number, budget: QueryBudget): ResultTable {
  const byFns = by.map((b) => compileExpr(b.expr, table.columns, nowMillis));
  const aggFns = aggregates.map((a) => (a.arg ? compileExpr(a.arg, table.columns, nowMillis) : () => null));
  const groups = new Map<string, { keys: CellValue[]; values: CellValue[][] }>();
  for (const row of table.rows) {
    budget.tick();
    const keys = byFns.map((f) => f(row));
    const id = JSON.stringify(keys);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { keys, values: aggregates.map(() => []) }));
    aggFns.forEach((f, i) => (g as { values: CellValue[][] }).values[i]?.push(f(row)));
  }
  if (groups.size === 0 && by.length === 0) groups.set('[]', { keys: [], values: aggregates.map(() => []) });
  const columns: ResultColumn[] = [
    ...by.map((b) => ({ name: b.name, type: typeOf(b.expr, table.columns) })),
    ...aggregates.map((a) => ({ name: a.name, type: aggregateType(a, table.columns) })),
  ];
  const rows = [...groups.values()].map((g) => {
    const row: Row = {};
    by.forEach((b, i) => (row[b.name] = g.keys[i] ?? null));
    aggregates.forEach((a, i) => {
      const all = g.values[i] as CellValue[];
      const nums = all.filter(isNum);
      const present = all.filter((v) => v !== null);
      switch (a.fn) {
        case 'count': row[a.name] = all.length; break;
        case 'dcount': row[a.name] = new Set(present.map((v) => text(v))).size; break;
        case 'sum': row[a.name] = nums.reduce((x, y) => x + y, 0); break;
        case 'avg': row[a.name] = nums.length ? nums.reduce((x, y) => x + y, 0) / nums.length : null; break;
        case 'min': row[a.name] = present.length ? present.reduce((x, y) => (compareCells(x, y) <= 0 ? x : y)) : null; break;
        case 'max': row[a.name] = present.length ? present.reduce((x, y) => (compareCells(x, y) >= 0 ? x : y)) : null; break;
      }
    });
    return row;
  });
  return { columns, rows };
}

function withColumns(table: ResultTable, defs: readonly { name: string; expr: KqlExpr }[], keepExisting: boolean, nowMillis: number, budget: QueryBudget): ResultTable {
  const fns = defs.map((d) => ({ name: d.name, f: compileExpr(d.expr, table.columns, nowMillis), type: typeOf(d.expr, table.columns) }));
  const added = fns.map((f) => ({ name: f.name, type: f.type }));
  const columns = keepExisting ? [...table.columns.filter((c) => !added.some((a) => a.name === c.name)), ...added] : added;
  const rows = table.rows.map((row) => {
    budget.tick();
    const out: Row = keepExisting ? { ...row } : {};
    for (const f of fns) out[f.name] = f.f(row);
    return out;
  });
  return { columns, rows };
}

/** Expression nodes in a tree (the work of evaluating it on one row). */
function countNodes(expr: KqlExpr): number {
  switch (expr.kind) {
    case 'literal': case 'column': return 1;
    case 'member': return 1 + countNodes(expr.object);
    case 'unary': return 1 + countNodes(expr.operand);
    case 'binary': return 1 + countNodes(expr.left) + countNodes(expr.right);
    case 'call': return expr.args.reduce((n, a) => n + countNodes(a), 1);
  }
}

const sumNodes = (list: readonly NamedExpr[]): number => list.reduce((n, d) => n + countNodes(d.expr), 0);

/** Work an operator does on `rows` input rows, charged before it runs. */
function operatorCost(op: KqlOperator, rows: number): number {
  switch (op.op) {
    case 'where': return rows * countNodes(op.predicate);
    case 'project': return rows * (sumNodes(op.columns) + op.columns.length);
    case 'extend': return rows * (sumNodes(op.columns) + op.columns.length);
    case 'take': case 'count': return 0;
    case 'top': return rows * (countNodes(op.key.expr) + Math.ceil(Math.log2(rows + 1)));
    case 'sort': return rows * (op.keys.reduce((n, k) => n + countNodes(k.expr), 0) + Math.ceil(Math.log2(rows + 1)) * op.keys.length);
    case 'summarize': return rows * (sumNodes(op.by) + op.aggregates.reduce((n, a) => n + 1 + (a.arg ? countNodes(a.arg) : 0), 0));
  }
}

/** Cells per input row an operator computes and keeps (for the cell cap); 0 when it computes none. */
function computedColumns(op: KqlOperator): number {
  switch (op.op) {
    case 'project': case 'extend': return op.columns.length;
    case 'summarize': return op.by.length + op.aggregates.length;
    default: return 0;
  }
}

/** Upper bounds of the rows and columns an operator outputs (no operator adds rows). */
function outputBounds(op: KqlOperator, rows: number, columns: number): { rows: number; columns: number } {
  switch (op.op) {
    case 'take': case 'top': return { rows: Math.min(rows, op.count), columns };
    case 'count': return { rows: 1, columns: 1 };
    case 'summarize': return { rows: op.by.length === 0 ? 1 : rows, columns: op.by.length + op.aggregates.length };
    case 'project': return { rows, columns: op.columns.length };
    case 'extend': return { rows, columns: columns + op.columns.length };
    default: return { rows, columns };
  }
}

/**
 * Charges the whole pipeline's work before any operator runs, taking every operator's input as
 * large as it can be (a filter may leave fewer rows, but never more), so an over-budget query is
 * refused at once instead of after seconds of work.
 */
function chargePipeline(query: KqlQuery, rows: number, columns: number, budget: QueryBudget): void {
  let bounds = { rows, columns };
  for (const op of query.operators) {
    budget.charge(operatorCost(op, bounds.rows), op.op);
    bounds = outputBounds(op, bounds.rows, bounds.columns);
  }
}

/**
 * Runs a parsed query against a table source. `nowMillis` is the time `ago()`/`now()` refer to.
 * The pipeline's work is charged to `budget` before it runs, the cells each operator computes are
 * counted against the cap before it runs, and the loops look at the budget's clock, so a query
 * over the limits fails fast with a QueryLimitError instead of blocking or exhausting memory.
 */
export function evaluateKql(query: KqlQuery, source: TableSource, nowMillis: number, budget: QueryBudget = createQueryBudget()): ResultTable {
  let table = source(query.table);
  chargePipeline(query, table.rows.length, table.columns.length, budget);
  for (const op of query.operators) {
    const computed = computedColumns(op);
    if (computed > 0) budget.cells(table.rows.length, computed, op.op);
    switch (op.op) {
      case 'where': {
        const f = compileExpr(op.predicate, table.columns, nowMillis);
        table = { columns: table.columns, rows: table.rows.filter((r) => { budget.tick(); return truthy(f(r)); }) };
        break;
      }
      case 'project': table = withColumns(table, op.columns, false, nowMillis, budget); break;
      case 'extend': table = withColumns(table, op.columns, true, nowMillis, budget); break;
      case 'take': table = { columns: table.columns, rows: table.rows.slice(0, op.count) }; break;
      case 'top': table = { columns: table.columns, rows: sortRows(table, [op.key], nowMillis, budget).slice(0, op.count) }; break;
      case 'sort': table = { columns: table.columns, rows: sortRows(table, op.keys, nowMillis, budget) }; break;
      case 'summarize': table = summarize(table, op.aggregates, op.by, nowMillis, budget); break;
      case 'count': table = { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: table.rows.length }] }; break;
    }
  }
  return table;
}
