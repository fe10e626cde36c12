/**
 * Evaluates a query's Kusto.Language syntax tree over the stored rows. The binder already typed
 * every expression and named every output column (`count_`, `avg_duration`,
 * `customDimensions_x`...); the evaluator computes the values and takes the names and types from
 * the binder, so they are Kusto's own.
 */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KustoType } from '../storage/table-schemas';
import type { KqlColumn, KqlNode } from './kusto-language';
import type { ParsedQuery } from './parse-kql';
import { aggregateFunction, isAggregate, MULTI_COLUMN_AGGREGATES, percentileOf } from './aggregate-functions';
import { decodeStringToken, parseDatetimeText, parseTimespanText, unwrapLiteral } from './kql-literals';
import { childAt, childOf, countExpressionNodes, firstToken, listAfter, listsOf, named, nameOf, nodesOf, tokenText } from './kql-node';
import { compareCells, groupKey, hasTerm, isNum, kustoEquals, parseDynamic, toText, truthy } from './kql-values';
import { compileRegex, convertTo, dynamicMember, scalarFunction } from './scalar-functions';
import { createQueryBudget, type QueryBudget } from './query-budget';

/** A column type in query results. */
export type ResultType = KustoType;

/** A result column. */
export interface ResultColumn {
  readonly name: string;
  readonly type: ResultType;
}

/** An in-memory table while a query runs (datetimes and timespans are milliseconds). */
export interface ResultTable {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly Row[];
  /** The `render` hint of the query, when it ends with one. */
  readonly visualization?: Visualization;
}

/** The visualization hint of `render` (the query API returns it with `Prefer: include-render=true`). */
export interface Visualization {
  readonly visualization: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** Loads a table's schema and rows (already restricted to the query's app and timespan). */
export type TableSource = (table: string) => ResultTable;

type ScopeValue = { readonly table: ResultTable } | { readonly scalar: CellValue } | { readonly fn: KqlNode };

interface Context {
  readonly source: TableSource;
  readonly nowMillis: number;
  readonly budget: QueryBudget;
  readonly scope: Map<string, ScopeValue>;
  /** Values computed once per query (toscalar, tabular `in` lists, regexes). */
  readonly memo: Map<KqlNode, unknown>;
  visualization: Visualization | undefined;
}

function unsupported(what: string, kind: 'operator' | 'function' | 'expression'): KqlError {
  return new KqlError(`${kind === 'operator' ? 'Query operator' : kind === 'function' ? 'Function' : 'Expression'} '${what}' is not supported by the appinsights emulator`, { code: 'UnsupportedByEmulator', kind: 'SemanticError', [kind]: what });
}

function asType(t: string | undefined): ResultType {
  return (t && t !== 'unknown' && t !== 'void' && t !== 'tuple' ? t : 'dynamic') as ResultType;
}

function columnsOf(n: KqlNode): ResultColumn[] {
  return (n.columns ?? []).map((c: KqlColumn) => ({ name: c.name, type: asType(c.type) }));
}

/* ------------------------------------------------------------------ scalar expressions */

interface RowContext {
  readonly row: Row | undefined;
  /** Rows of the group when evaluating a `summarize` aggregate expression. */
  readonly group: readonly Row[] | undefined;
}

const NO_ROW: RowContext = { row: undefined, group: undefined };

function literal(n: KqlNode): CellValue {
  const text = tokenText(n).trim();
  switch (n.kind) {
    case 'StringLiteralExpression': return n.children.filter((c) => c && c.kind === 'StringLiteralToken').map((c) => decodeStringToken((c as KqlNode).text)).join('');
    case 'BooleanLiteralExpression': { const v = unwrapLiteral(text).toLowerCase(); return v === 'null' ? null : v === 'true'; }
    case 'LongLiteralExpression': case 'IntLiteralExpression': case 'RealLiteralExpression': case 'DecimalLiteralExpression': {
      const v = unwrapLiteral(text);
      if (v === 'null') return null;
      if (/^0x/i.test(v)) return parseInt(v, 16);
      return v === 'nan' ? null : Number(v);
    }
    case 'DateTimeLiteralExpression': return parseDatetimeText(unwrapLiteral(text));
    case 'TimespanLiteralExpression': { const v = unwrapLiteral(text); return v === 'null' ? null : (parseTimespanText(v) ?? null); }
    case 'GuidLiteralExpression': { const v = unwrapLiteral(text); return v === 'null' ? null : v.toLowerCase(); }
    case 'NullLiteralExpression': return null;
    case 'DynamicExpression': {
      const inner = unwrapLiteral(text);
      try { return JSON.parse(inner) as CellValue; } catch { throw unsupported(text, 'expression'); }
    }
    default: throw unsupported(n.kind, 'expression');
  }
}

const LITERALS = new Set(['StringLiteralExpression', 'BooleanLiteralExpression', 'LongLiteralExpression', 'IntLiteralExpression', 'RealLiteralExpression', 'DecimalLiteralExpression', 'DateTimeLiteralExpression', 'TimespanLiteralExpression', 'GuidLiteralExpression', 'NullLiteralExpression', 'DynamicExpression']);

type StringTest = (a: string, b: string) => boolean;
const STRING_OPERATORS: Readonly<Record<string, StringTest>> = {
  HasExpression: (a, b) => hasTerm(a, b, 'whole', false), HasCsExpression: (a, b) => hasTerm(a, b, 'whole', true),
  HasPrefixExpression: (a, b) => hasTerm(a, b, 'prefix', false), HasPrefixCsExpression: (a, b) => hasTerm(a, b, 'prefix', true),
  HasSuffixExpression: (a, b) => hasTerm(a, b, 'suffix', false), HasSuffixCsExpression: (a, b) => hasTerm(a, b, 'suffix', true),
  ContainsExpression: (a, b) => a.toLowerCase().includes(b.toLowerCase()), ContainsCsExpression: (a, b) => a.includes(b),
  StartsWithExpression: (a, b) => a.toLowerCase().startsWith(b.toLowerCase()), StartsWithCsExpression: (a, b) => a.startsWith(b),
  EndsWithExpression: (a, b) => a.toLowerCase().endsWith(b.toLowerCase()), EndsWithCsExpression: (a, b) => a.endsWith(b),
  EqualTildeExpression: (a, b) => a.toLowerCase() === b.toLowerCase(),
};
const NEGATED: Readonly<Record<string, string>> = {
  NotHasExpression: 'HasExpression', NotHasCsExpression: 'HasCsExpression', NotHasPrefixExpression: 'HasPrefixExpression', NotHasPrefixCsExpression: 'HasPrefixCsExpression',
  NotHasSuffixExpression: 'HasSuffixExpression', NotHasSuffixCsExpression: 'HasSuffixCsExpression', NotContainsExpression: 'ContainsExpression',
  NotContainsCsExpression: 'ContainsCsExpression', NotStartsWithExpression: 'StartsWithExpression', NotStartsWithCsExpression: 'StartsWithCsExpression',
  NotEndsWithExpression: 'EndsWithExpression', NotEndsWithCsExpression: 'EndsWithCsExpression', BangTildeExpression: 'EqualTildeExpression',
};

function arithmetic(kind: string, a: CellValue, b: CellValue, resultType: string | undefined): CellValue {
  if (!isNum(a) || !isNum(b)) return null;
  const integer = resultType === 'long' || resultType === 'int';
  switch (kind) {
    case 'AddExpression': return a + b;
    case 'SubtractExpression': return a - b;
    case 'MultiplyExpression': return a * b;
    case 'DivideExpression': if (b === 0) return null; return integer ? Math.trunc(a / b) : a / b;
    default: return b === 0 ? null : a % b;
  }
}

function comparison(kind: string, a: CellValue, b: CellValue): CellValue {
  if (a === null || b === null) return null;
  const c = compareCells(a, b);
  switch (kind) {
    case 'LessThanExpression': return c < 0;
    case 'LessThanOrEqualExpression': return c <= 0;
    case 'GreaterThanExpression': return c > 0;
    default: return c >= 0;
  }
}

/** The values of an `in (...)` list: scalars, dynamic arrays flattened, or a tabular subquery's first column. */
function inList(list: KqlNode, rc: RowContext, ctx: Context): CellValue[] {
  const items = listAfter(list);
  const values: CellValue[] = [];
  for (const item of items) {
    if (item.columns) {
      let cached = ctx.memo.get(item) as CellValue[] | undefined;
      if (!cached) {
        const t = evalTabular(item, ctx);
        const first = t.columns[0]?.name ?? '';
        cached = t.rows.map((r) => r[first] ?? null);
        ctx.memo.set(item, cached);
      }
      values.push(...cached);
      continue;
    }
    const v = evalScalar(item, rc, ctx);
    if (Array.isArray(v)) values.push(...(v as CellValue[])); else values.push(v);
  }
  return values;
}

function callArgs(n: KqlNode): KqlNode[] {
  const list = childOf(n, 'ExpressionList');
  return list ? listAfter(list) : [];
}

function functionName(n: KqlNode): string {
  return n.symbol?.name ?? nameOf(childAt(n, 0) as KqlNode);
}

/** Evaluates a scalar expression on one row (or, inside `summarize`, over a group). */
export function evalScalar(n: KqlNode, rc: RowContext, ctx: Context): CellValue {
  if (LITERALS.has(n.kind)) {
    if (!ctx.memo.has(n)) ctx.memo.set(n, literal(n));
    return ctx.memo.get(n) as CellValue;
  }
  switch (n.kind) {
    case 'ParenthesizedExpression': return evalScalar(nodesOf(n)[0] as KqlNode, rc, ctx);
    case 'SimpleNamedExpression': return evalScalar(childAt(n, 2) as KqlNode, rc, ctx);
    case 'NameReference': {
      const name = nameOf(n);
      const kind = n.symbol?.kind;
      if (kind !== 'Column' && ctx.scope.has(name)) {
        const v = ctx.scope.get(name) as ScopeValue;
        if ('scalar' in v) return v.scalar;
      }
      const v = rc.row ? (rc.row[name] ?? null) : rc.group?.[0]?.[name] ?? null;
      // Kusto strings are never null, and `success` (a string column) reads "True"/"False".
      if (n.type === 'string') return v === null ? '' : typeof v === 'boolean' ? (v ? 'True' : 'False') : v;
      return v;
    }
    case 'PathExpression': {
      const left = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      return dynamicMember(left, nameOf(childAt(n, 2) as KqlNode));
    }
    case 'ElementExpression': {
      const left = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      const bracket = childAt(n, 1) as KqlNode;
      const key = evalScalar(nodesOf(bracket)[0] as KqlNode, rc, ctx);
      return dynamicMember(left, key);
    }
    case 'UnaryMinusExpression': { const v = evalScalar(childAt(n, 1) as KqlNode, rc, ctx); return isNum(v) ? -v : null; }
    case 'UnaryPlusExpression': return evalScalar(childAt(n, 1) as KqlNode, rc, ctx);
    case 'AddExpression': case 'SubtractExpression': case 'MultiplyExpression': case 'DivideExpression': case 'ModuloExpression':
      return arithmetic(n.kind, evalScalar(childAt(n, 0) as KqlNode, rc, ctx), evalScalar(childAt(n, 2) as KqlNode, rc, ctx), n.type);
    case 'LessThanExpression': case 'LessThanOrEqualExpression': case 'GreaterThanExpression': case 'GreaterThanOrEqualExpression':
      return comparison(n.kind, evalScalar(childAt(n, 0) as KqlNode, rc, ctx), evalScalar(childAt(n, 2) as KqlNode, rc, ctx));
    case 'EqualExpression': return kustoEquals(evalScalar(childAt(n, 0) as KqlNode, rc, ctx), evalScalar(childAt(n, 2) as KqlNode, rc, ctx));
    case 'NotEqualExpression': { const e = kustoEquals(evalScalar(childAt(n, 0) as KqlNode, rc, ctx), evalScalar(childAt(n, 2) as KqlNode, rc, ctx)); return e === null ? null : !e; }
    case 'AndExpression': {
      const a = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      if (a === false) return false;
      const b = evalScalar(childAt(n, 2) as KqlNode, rc, ctx);
      if (b === false) return false;
      return a === null || b === null ? null : truthy(a) && truthy(b);
    }
    case 'OrExpression': {
      const a = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      if (a === true) return true;
      const b = evalScalar(childAt(n, 2) as KqlNode, rc, ctx);
      if (b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'InExpression': case 'NotInExpression': case 'InCsExpression': case 'NotInCsExpression': {
      const v = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      const list = inList(childAt(n, 2) as KqlNode, rc, ctx);
      // `in` and `!in` are case-sensitive; `in~` and `!in~` (the *Cs kinds in Kusto.Language's naming) are not.
      const insensitive = n.kind === 'InCsExpression' || n.kind === 'NotInCsExpression';
      const found = v !== null && list.some((x) => (insensitive ? toText(x).toLowerCase() === toText(v).toLowerCase() : kustoEquals(v, x) === true));
      return n.kind.startsWith('Not') ? !found : found;
    }
    case 'BetweenExpression': case 'NotBetweenExpression': {
      const v = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      const couple = childAt(n, 2) as KqlNode;
      const [lo, hi] = nodesOf(couple) as [KqlNode, KqlNode];
      const low = evalScalar(lo, rc, ctx);
      let high = evalScalar(hi, rc, ctx);
      if (lo.type === 'datetime' && hi.type === 'timespan' && isNum(low) && isNum(high)) high = low + high;
      if (v === null || low === null || high === null) return null;
      const inside = compareCells(v, low) >= 0 && compareCells(v, high) <= 0;
      return n.kind === 'BetweenExpression' ? inside : !inside;
    }
    case 'MatchesRegexExpression': {
      const v = evalScalar(childAt(n, 0) as KqlNode, rc, ctx);
      const right = childAt(n, n.children.length - 1) as KqlNode;
      let re = ctx.memo.get(right) as RegExp | null | undefined;
      if (re === undefined) { re = compileRegex(evalScalar(right, rc, ctx)); ctx.memo.set(right, re); }
      return v === null || !re ? null : re.test(toText(v));
    }
    case 'HasAnyExpression': case 'HasAllExpression': {
      const v = toText(evalScalar(childAt(n, 0) as KqlNode, rc, ctx));
      const list = inList(childAt(n, 2) as KqlNode, rc, ctx).map((x) => toText(x));
      return n.kind === 'HasAnyExpression' ? list.some((x) => hasTerm(v, x, 'whole', false)) : list.every((x) => hasTerm(v, x, 'whole', false));
    }
    case 'ToScalarExpression': {
      if (!ctx.memo.has(n)) {
        const inner = nodesOf(n).find((c) => c.columns) ?? (nodesOf(n)[0] as KqlNode);
        const t = evalTabular(inner, ctx);
        const first = t.columns[0]?.name ?? '';
        ctx.memo.set(n, t.rows[0]?.[first] ?? null);
      }
      return ctx.memo.get(n) as CellValue;
    }
    case 'FunctionCallExpression': return evalCall(n, rc, ctx);
    default: {
      const test = STRING_OPERATORS[n.kind] ?? STRING_OPERATORS[NEGATED[n.kind] ?? ''];
      if (!test) throw unsupported(firstToken(n) === '' ? n.kind : n.kind.replace(/Expression$/, ''), 'expression');
      const left = childAt(n, 0) as KqlNode;
      const a = evalScalar(left, rc, ctx);
      const b = evalScalar(childAt(n, 2) as KqlNode, rc, ctx);
      if (a === null || b === null) return n.kind in NEGATED;
      const result = test(toText(a, left.type), toText(b));
      return n.kind in NEGATED ? !result : result;
    }
  }
}

function evalCall(n: KqlNode, rc: RowContext, ctx: Context): CellValue {
  const name = functionName(n);
  const args = callArgs(n);
  const user = ctx.scope.get(name);
  if (user && 'fn' in user) return callUserFunction(user.fn, args, rc, ctx);
  if (isAggregate(name)) {
    if (!rc.group) throw new KqlError(`Function '${name}' is an aggregation: use it in summarize`, { code: 'SEM0100', kind: 'SemanticError', function: name });
    if (MULTI_COLUMN_AGGREGATES.has(name)) throw unsupported(`${name} inside an expression`, 'function');
    const agg = aggregateFunction(name) as (rows: readonly (readonly CellValue[])[]) => CellValue;
    const inputs = rc.group.map((row) => { ctx.budget.tick(); return args.map((a) => evalScalar(a, { row, group: undefined }, ctx)); });
    return agg(inputs);
  }
  const fn = scalarFunction(name);
  if (!fn) throw unsupported(name, 'function');
  const values = args.map((a) => evalScalar(a, rc, ctx));
  return fn({ args: values, types: args.map((a) => a.type), nowMillis: ctx.nowMillis, resultType: n.type });
}

/**
 * Runs `body` with a `let f = (a: string, ...) { ... }` function's parameters bound to `args`
 * (evaluated in the caller's row) and the function body's own `let` statements bound, then
 * restores the caller's scope.
 */
function inFunctionScope<T>(decl: KqlNode, args: KqlNode[], rc: RowContext, ctx: Context, run: (body: KqlNode) => T): T {
  const params = childOf(decl, 'FunctionParameters');
  const names = params ? listAfter(params).map((p) => nameOf(p)) : [];
  const body = childOf(decl, 'FunctionBody');
  const expr = body ? nodesOf(body).find((c) => c.kind !== 'List') : undefined;
  if (!body || !expr) throw unsupported('let function without a body expression', 'expression');
  const values = names.map((_p, i) => (args[i] ? evalScalar(args[i] as KqlNode, rc, ctx) : null));
  const saved = new Map(ctx.scope);
  names.forEach((p, i) => ctx.scope.set(p, { scalar: values[i] ?? null }));
  try {
    for (const s of listAfter(body)) if (s.kind === 'LetStatement') bindLet(s, ctx);
    return run(expr);
  } finally {
    ctx.scope.clear();
    for (const [k, v] of saved) ctx.scope.set(k, v);
  }
}

/** A `let` function called with scalar arguments in a scalar context. */
function callUserFunction(decl: KqlNode, args: KqlNode[], rc: RowContext, ctx: Context): CellValue {
  return inFunctionScope(decl, args, rc, ctx, (expr) => evalScalar(expr, rc, ctx));
}

/* ------------------------------------------------------------------ tabular operators */

function orderKeys(items: KqlNode[]): { expr: KqlNode; desc: boolean; nullsFirst: boolean }[] {
  return items.map((item) => {
    if (item.kind !== 'OrderedExpression') return { expr: item, desc: true, nullsFirst: false };
    const clause = childOf(item, 'OrderingClause');
    const words = clause ? tokenText(clause).toLowerCase() : '';
    const desc = !/asc/.test(words);
    const nullsFirst = /nullsfirst/.test(words.replace(/\s/g, '')) || (!/nullslast/.test(words.replace(/\s/g, '')) && !desc);
    return { expr: childAt(item, 0) as KqlNode, desc, nullsFirst };
  });
}

function sortRows(rows: readonly Row[], keys: { expr: KqlNode; desc: boolean; nullsFirst: boolean }[], ctx: Context): Row[] {
  const decorated = rows.map((row) => { ctx.budget.tick(); return { row, k: keys.map((k) => evalScalar(k.expr, { row, group: undefined }, ctx)) }; });
  decorated.sort((a, b) => {
    ctx.budget.tick();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as { desc: boolean; nullsFirst: boolean };
      const x = a.k[i] as CellValue;
      const y = b.k[i] as CellValue;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = compareCells(x, y);
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

function project(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const items = listAfter(op).map(named);
  const columns = columnsOf(op);
  ctx.budget.cells(table.rows.length, items.length, 'project');
  const rows = table.rows.map((row) => {
    ctx.budget.tick();
    const out: Row = {};
    items.forEach((item, i) => { out[(columns[i] as ResultColumn).name] = evalScalar(item.expr, { row, group: undefined }, ctx); });
    return out;
  });
  return { columns, rows };
}

function extend(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const items = listAfter(op).map(named);
  const columns = columnsOf(op);
  const derived = columns.filter((c) => !table.columns.some((t) => t.name === c.name) && !items.some((i) => i.name === c.name)).map((c) => c.name);
  const names = items.map((i) => i.name ?? (derived.shift() as string));
  ctx.budget.cells(table.rows.length, items.length, 'extend');
  const rows = table.rows.map((row) => {
    ctx.budget.tick();
    const out: Row = { ...row };
    items.forEach((item, i) => { out[names[i] as string] = evalScalar(item.expr, { row: out, group: undefined }, ctx); });
    return out;
  });
  return { columns, rows };
}

function groupRows(rows: readonly Row[], by: KqlNode[], ctx: Context): { keys: CellValue[]; rows: Row[] }[] {
  const groups = new Map<string, { keys: CellValue[]; rows: Row[] }>();
  for (const row of rows) {
    ctx.budget.tick();
    const keys = by.map((b) => evalScalar(b, { row, group: undefined }, ctx));
    const id = groupKey(keys);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { keys, rows: [] }));
    g.rows.push(row);
  }
  return [...groups.values()];
}

/** Values of one aggregate item of `summarize` over a group (several for percentiles/arg_max). */
function aggregateValues(expr: KqlNode, width: number, group: readonly Row[], starColumns: readonly string[], ctx: Context): CellValue[] {
  const name = expr.kind === 'FunctionCallExpression' ? functionName(expr) : '';
  if (!MULTI_COLUMN_AGGREGATES.has(name)) return [evalScalar(expr, { row: undefined, group }, ctx)];
  const args = callArgs(expr);
  if (name === 'percentiles') {
    const values = group.map((row) => evalScalar(args[0] as KqlNode, { row, group: undefined }, ctx)).filter(isNum);
    return args.slice(1).map((p) => percentileOf(values, Number(evalScalar(p, NO_ROW, ctx))));
  }
  // arg_max / arg_min: the row where the first argument is largest / smallest.
  const sign = name === 'arg_max' || name === 'argmax' ? 1 : -1;
  let best: Row | undefined;
  let bestValue: CellValue = null;
  for (const row of group) {
    ctx.budget.tick();
    const v = evalScalar(args[0] as KqlNode, { row, group: undefined }, ctx);
    if (v !== null && (bestValue === null || sign * compareCells(v, bestValue) > 0)) { best = row; bestValue = v; }
  }
  if (!best) return Array<CellValue>(width).fill(null);
  const chosen = best;
  const rest = args.slice(1);
  if (rest.length === 1 && rest[0]?.kind === 'StarExpression') return [bestValue, ...starColumns.slice(0, width - 1).map((n) => chosen[n] ?? null)];
  return [bestValue, ...rest.map((a) => evalScalar(named(a).expr, { row: chosen, group: undefined }, ctx))];
}

function aggregateWidths(items: KqlNode[], total: number): number[] {
  const widths = items.map((item) => {
    const name = item.kind === 'FunctionCallExpression' ? functionName(item) : '';
    if (name === 'percentiles') return callArgs(item).length - 1;
    if (MULTI_COLUMN_AGGREGATES.has(name)) {
      const args = callArgs(item);
      return args.length === 2 && args[1]?.kind === 'StarExpression' ? -1 : args.length;
    }
    return 1;
  });
  const star = widths.indexOf(-1);
  if (star >= 0) widths[star] = total - widths.reduce((a, b) => a + (b > 0 ? b : 0), 0);
  return widths;
}

function summarize(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const [aggList = []] = listsOf(op).slice(1);
  const aggregates = aggList.map((a) => named(a).expr);
  const byClause = childOf(op, 'SummarizeByClause');
  const by = byClause ? listAfter(byClause).map((b) => named(b).expr) : [];
  const columns = columnsOf(op);
  const widths = aggregateWidths(aggregates, columns.length - by.length);
  // `arg_max(x, *)` returns the input columns other than the by columns and x itself, in input order.
  const argExtremes = aggregates.filter((a) => a.kind === 'FunctionCallExpression' && /^arg_?(max|min)$/.test(functionName(a)));
  const taken = new Set([...by, ...argExtremes.map((a) => callArgs(a)[0]).filter((a): a is KqlNode => a !== undefined)]
    .filter((n) => n.kind === 'NameReference').map((n) => nameOf(n)));
  const starColumns = table.columns.map((c) => c.name).filter((n) => !taken.has(n));
  const groups = groupRows(table.rows, by, ctx);
  if (groups.length === 0 && by.length === 0) groups.push({ keys: [], rows: [] });
  ctx.budget.cells(groups.length, columns.length, 'summarize');
  const rows = groups.map((g) => {
    const values: CellValue[] = [...g.keys];
    aggregates.forEach((a, i) => {
      const width = widths[i] as number;
      values.push(...aggregateValues(a, width, g.rows, starColumns, ctx));
    });
    const row: Row = {};
    columns.forEach((c, i) => (row[c.name] = values[i] ?? null));
    return row;
  });
  return { columns, rows };
}

function distinct(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const items = listsOf(op)[1] ?? [];
  const columns = columnsOf(op);
  const star = items.length === 1 && items[0]?.kind === 'StarExpression';
  const seen = new Set<string>();
  const rows: Row[] = [];
  for (const row of table.rows) {
    ctx.budget.tick();
    const values = star ? columns.map((c) => row[c.name] ?? null) : items.map((i) => evalScalar(named(i).expr, { row, group: undefined }, ctx));
    const id = groupKey(values);
    if (seen.has(id)) continue;
    seen.add(id);
    const out: Row = {};
    columns.forEach((c, i) => (out[c.name] = values[i] ?? null));
    rows.push(out);
  }
  return { columns, rows };
}

function namedParameter(op: KqlNode, parameter: string): string | undefined {
  for (const p of listAfter(op)) {
    if (p.kind !== 'NamedParameter') continue;
    if (nameOf(childAt(p, 0) as KqlNode).toLowerCase() === parameter) return tokenText(childAt(p, 2) as KqlNode).trim();
  }
  return undefined;
}

function joinKeys(clause: KqlNode): { left: KqlNode | string; right: KqlNode | string }[] {
  return listAfter(clause).map((c) => {
    if (c.kind === 'EqualExpression') {
      const sides = [childAt(c, 0) as KqlNode, childAt(c, 2) as KqlNode];
      const side = (name: string): string => {
        const s = sides.find((x) => x.kind === 'PathExpression' && nameOf(childAt(x, 0) as KqlNode) === name);
        if (!s) throw unsupported('join condition other than $left.a == $right.b', 'expression');
        return nameOf(childAt(s, 2) as KqlNode);
      };
      return { left: side('$left'), right: side('$right') };
    }
    const name = nameOf(c);
    return { left: name, right: name };
  });
}

function join(left: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const kind = (namedParameter(op, 'kind') ?? 'innerunique').toLowerCase();
  const rightNode = nodesOf(op).find((c) => c.columns && c.kind !== 'JoinOnClause') as KqlNode;
  const right = evalTabular(rightNode, ctx);
  const clause = childOf(op, 'JoinOnClause');
  if (!clause) throw unsupported('join without on', 'operator');
  const keys = joinKeys(clause);
  const keyOf = (row: Row, side: 'left' | 'right'): string | undefined => {
    const values = keys.map((k) => row[k[side] as string] ?? null);
    return values.some((v) => v === null) ? undefined : groupKey(values);
  };
  const columns = columnsOf(op);
  const index = new Map<string, Row[]>();
  for (const row of right.rows) {
    ctx.budget.tick();
    const k = keyOf(row, 'right');
    if (k === undefined) continue;
    const list = index.get(k);
    if (list) list.push(row); else index.set(k, [row]);
  }
  const leftRows = kind === 'innerunique' ? uniqueBy(left.rows, (r) => keyOf(r, 'left')) : left.rows;
  const combine = (l: Row | undefined, r: Row | undefined): Row => {
    const values = [...left.columns.map((c) => (l ? (l[c.name] ?? null) : null)), ...right.columns.map((c) => (r ? (r[c.name] ?? null) : null))];
    const out: Row = {};
    columns.forEach((c, i) => (out[c.name] = values[i] ?? null));
    return out;
  };
  const rows: Row[] = [];
  const matchedRight = new Set<Row>();
  for (const l of leftRows) {
    ctx.budget.tick();
    const k = keyOf(l, 'left');
    const matches = k === undefined ? [] : (index.get(k) ?? []);
    switch (kind) {
      case 'leftsemi': if (matches.length) rows.push(l); break;
      case 'leftanti': case 'anti': case 'leftantisemi': if (!matches.length) rows.push(l); break;
      case 'rightsemi': case 'rightanti': case 'rightantisemi': for (const r of matches) matchedRight.add(r); break;
      case 'inner': case 'innerunique':
        for (const r of matches) rows.push(combine(l, r));
        break;
      case 'leftouter': case 'fullouter': case 'rightouter':
        for (const r of matches) { rows.push(combine(l, r)); matchedRight.add(r); }
        if (!matches.length && kind !== 'rightouter') rows.push(combine(l, undefined));
        break;
      default: throw unsupported(`join kind=${kind}`, 'operator');
    }
  }
  if (kind === 'rightsemi') return { columns, rows: right.rows.filter((r) => matchedRight.has(r)) };
  if (kind === 'rightanti' || kind === 'rightantisemi') return { columns, rows: right.rows.filter((r) => !matchedRight.has(r)) };
  if (kind === 'rightouter' || kind === 'fullouter') for (const r of right.rows) if (!matchedRight.has(r)) rows.push(combine(undefined, r));
  return { columns, rows };
}

function uniqueBy(rows: readonly Row[], key: (r: Row) => string | undefined): Row[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = key(r);
    if (k === undefined) return true;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function union(input: ResultTable | undefined, op: KqlNode, ctx: Context): ResultTable {
  const [, sources = []] = listsOf(op);
  const withSource = namedParameter(op, 'withsource');
  const tables: { name: string; table: ResultTable }[] = [];
  if (input) tables.push({ name: 'union_arg0', table: input });
  for (const s of sources) tables.push({ name: s.kind === 'NameReference' ? nameOf(s) : `union_arg${tables.length}`, table: evalTabular(s, ctx) });
  const columns = columnsOf(op);
  const rows: Row[] = [];
  for (const t of tables) {
    for (const row of t.table.rows) {
      ctx.budget.tick();
      rows.push(withSource ? { ...row, [withSource]: t.name } : row);
    }
  }
  return { columns, rows };
}

function mvExpand(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const [, items = []] = listsOf(op);
  const columns = columnsOf(op);
  const derived = columns.filter((c) => !table.columns.some((t) => t.name === c.name)).map((c) => c.name);
  const specs = items.map((item) => {
    const inner = item.kind === 'MvExpandExpression' ? (childAt(item, 0) as KqlNode) : item;
    const { name, expr } = named(inner);
    const toType = item.kind === 'MvExpandExpression' ? childOf(item, 'ToTypeOfClause') : undefined;
    const type = toType ? tokenText(toType).replace(/^.*typeof\(\s*|\s*\)\s*$/g, '') : undefined;
    const column = name ?? (expr.kind === 'NameReference' ? nameOf(expr) : (derived.shift() as string));
    return { column, expr, type };
  });
  const rows: Row[] = [];
  for (const row of table.rows) {
    ctx.budget.tick();
    const arrays = specs.map((s) => {
      const v = parseDynamic(evalScalar(s.expr, { row, group: undefined }, ctx));
      if (Array.isArray(v)) return v as CellValue[];
      if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => ({ [k]: x }) as CellValue);
      return [v];
    });
    const length = Math.max(...arrays.map((a) => a.length));
    for (let i = 0; i < length; i++) {
      const out: Row = { ...row };
      specs.forEach((s, j) => {
        const v = (arrays[j] as CellValue[])[i] ?? null;
        out[s.column] = s.type ? convertTo(v, s.type) : v;
      });
      rows.push(out);
    }
  }
  ctx.budget.cells(rows.length, specs.length, 'mv-expand');
  return { columns, rows };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseOperator(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const kind = (namedParameter(op, 'kind') ?? 'simple').toLowerCase();
  const parts = listsOf(op)[1] ?? [];
  const source = nodesOf(op).find((c) => c.kind !== 'List') as KqlNode;
  const columns = columnsOf(op);
  const captures: { name: string; type: string }[] = [];
  let pattern = '^';
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p.kind === 'StarExpression') pattern += last ? '[\\s\\S]*' : '[\\s\\S]*?';
    else if (p.kind === 'StringLiteralExpression') pattern += kind === 'regex' ? String(literal(p)) : escapeRegex(String(literal(p)));
    else {
      const decl = p.kind === 'NameAndTypeDeclaration' ? (childAt(p, 0) as KqlNode) : p;
      const type = p.kind === 'NameAndTypeDeclaration' ? tokenText(childAt(p, 2) as KqlNode).trim() : 'string';
      captures.push({ name: nameOf(decl), type });
      pattern += last ? '([\\s\\S]*)' : '([\\s\\S]*?)';
    }
  });
  if (kind === 'regex' && parts[parts.length - 1]?.kind !== 'StarExpression') pattern += '';
  const re = new RegExp(pattern);
  ctx.budget.cells(table.rows.length, captures.length, 'parse');
  const rows = table.rows.map((row) => {
    ctx.budget.tick();
    const m = re.exec(toText(evalScalar(source, { row, group: undefined }, ctx), source.type));
    const out: Row = { ...row };
    captures.forEach((c, i) => {
      const v = m ? (m[i + 1] ?? null) : null;
      out[c.name] = v === null ? (c.type === 'string' ? '' : null) : c.type === 'string' ? v : convertTo(v, c.type);
    });
    return out;
  });
  return { columns, rows };
}

function makeSeries(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const [, items = []] = listsOf(op);
  const onClause = childOf(op, 'MakeSeriesOnClause') as KqlNode;
  const axis = nodesOf(onClause)[0] as KqlNode;
  const byClause = childOf(op, 'MakeSeriesByClause');
  const by = byClause ? listAfter(byClause).map((b) => named(b).expr) : [];
  const columns = columnsOf(op);
  let from: CellValue = null;
  let to: CellValue = null;
  let step: CellValue = null;
  let inclusive = false;
  const range = childOf(op, 'MakeSeriesFromToStepClause');
  const inRange = childOf(op, 'MakeSeriesInRangeClause');
  if (range) {
    const part = (k: string): KqlNode | undefined => { const c = childOf(range, k); return c ? nodesOf(c)[0] : undefined; };
    const f = part('MakeSeriesFromClause');
    const t = part('MakeSeriesToClause');
    from = f ? evalScalar(f, NO_ROW, ctx) : null;
    to = t ? evalScalar(t, NO_ROW, ctx) : null;
    step = evalScalar(part('MakeSeriesStepClause') as KqlNode, NO_ROW, ctx);
  } else if (inRange) {
    const [f, t, s] = listAfter(childOf(inRange, 'ExpressionList') as KqlNode);
    from = evalScalar(f as KqlNode, NO_ROW, ctx);
    to = evalScalar(t as KqlNode, NO_ROW, ctx);
    step = evalScalar(s as KqlNode, NO_ROW, ctx);
    inclusive = true;
  }
  if (!isNum(step) || step <= 0) throw new KqlError("make-series: 'step' must be a positive value", { code: 'SEM0100', kind: 'SemanticError' });
  const axisValues = table.rows.map((row) => evalScalar(axis, { row, group: undefined }, ctx)).filter(isNum);
  const start = isNum(from) ? from : axisValues.length ? Math.floor(Math.min(...axisValues) / step) * step : 0;
  const end = isNum(to) ? to : axisValues.length ? Math.max(...axisValues) + step : start;
  const bins: number[] = [];
  for (let t = start; inclusive ? t <= end : t < end; t += step) {
    bins.push(t);
    if (bins.length > 10_000) throw new KqlError('make-series: more than 10000 bins; use a larger step', { code: 'SEM0100', kind: 'SemanticError' });
  }
  const aggs = items.map((item) => {
    const inner = item.kind === 'MakeSeriesExpression' ? (childAt(item, 0) as KqlNode) : item;
    const def = item.kind === 'MakeSeriesExpression' ? childOf(item, 'DefaultExpressionClause') : undefined;
    return { expr: named(inner).expr, fallback: def ? evalScalar(nodesOf(def)[0] as KqlNode, NO_ROW, ctx) : 0 };
  });
  const groups = groupRows(table.rows, by, ctx);
  ctx.budget.cells(groups.length, bins.length * (aggs.length + 1), 'make-series');
  const rows = groups.map((g) => {
    const perBin = bins.map(() => [] as Row[]);
    for (const row of g.rows) {
      const t = evalScalar(axis, { row, group: undefined }, ctx);
      if (!isNum(t)) continue;
      const i = Math.floor((t - start) / step);
      if (i >= 0 && i < bins.length) perBin[i]?.push(row);
    }
    const values: CellValue[] = [
      ...g.keys,
      ...aggs.map((a) => perBin.map((rowsInBin) => (rowsInBin.length ? evalScalar(a.expr, { row: undefined, group: rowsInBin }, ctx) ?? a.fallback : a.fallback))),
      bins.map((b) => toText(b, 'datetime')),
    ];
    const out: Row = {};
    columns.forEach((c, i) => (out[c.name] = values[i] ?? null));
    return out;
  });
  return { columns, rows };
}

function render(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const tokens = op.children.filter((c): c is KqlNode => c !== null && c.children.length === 0);
  const visualization = tokens[1]?.text ?? 'table';
  const properties: Record<string, string> = {};
  const withClause = childOf(op, 'RenderWithClause');
  if (withClause) {
    for (const p of listAfter(withClause)) {
      if (p.kind === 'NamedParameter') properties[nameOf(childAt(p, 0) as KqlNode)] = tokenText(childAt(p, 2) as KqlNode).trim().replace(/^["']|["']$/g, '');
    }
  }
  ctx.visualization = { visualization, properties };
  return table;
}

function rename(table: ResultTable, op: KqlNode): ResultTable {
  const pairs = listAfter(op).map((item) => ({ to: nameOf(childAt(item, 0) as KqlNode), from: nameOf(childAt(item, 2) as KqlNode) }));
  const rows = table.rows.map((row) => {
    const out: Row = { ...row };
    for (const p of pairs) out[p.to] = row[p.from] ?? null;
    return out;
  });
  return { columns: columnsOf(op), rows };
}

function takeCount(op: KqlNode, ctx: Context): number {
  const expr = nodesOf(op).find((c) => c.kind !== 'List') as KqlNode;
  const n = evalScalar(expr, NO_ROW, ctx);
  if (!isNum(n)) throw new KqlError(`'${firstToken(op)}' needs a number of rows`, { code: 'SEM0100', kind: 'SemanticError' });
  return Math.max(0, Math.trunc(n));
}

/** Applies one query operator to its input table. */
function applyOperator(input: ResultTable | undefined, op: KqlNode, ctx: Context): ResultTable {
  if (!input && op.kind !== 'UnionOperator') throw unsupported(firstToken(op), 'operator');
  const table = input as ResultTable;
  switch (op.kind) {
    case 'FilterOperator': {
      const cond = nodesOf(op).find((c) => c.kind !== 'List') as KqlNode;
      return { columns: table.columns, rows: table.rows.filter((row) => { ctx.budget.tick(); return truthy(evalScalar(cond, { row, group: undefined }, ctx)); }) };
    }
    case 'ProjectOperator': return project(table, op, ctx);
    case 'ExtendOperator': return extend(table, op, ctx);
    case 'ProjectAwayOperator': case 'ProjectKeepOperator': case 'ProjectReorderOperator': return { columns: columnsOf(op), rows: table.rows };
    case 'ProjectRenameOperator': return rename(table, op);
    case 'TakeOperator': return { columns: table.columns, rows: table.rows.slice(0, takeCount(op, ctx)) };
    case 'SampleOperator': return { columns: table.columns, rows: table.rows.slice(0, takeCount(op, ctx)) };
    case 'TopOperator': {
      const count = takeCount(op, ctx);
      const key = nodesOf(op).filter((c) => c.kind !== 'List')[1] as KqlNode;
      return { columns: table.columns, rows: sortRows(table.rows, orderKeys([key]), ctx).slice(0, count) };
    }
    case 'SortOperator': return { columns: table.columns, rows: sortRows(table.rows, orderKeys(listsOf(op)[1] ?? []), ctx) };
    case 'SummarizeOperator': return summarize(table, op, ctx);
    case 'CountOperator': return { columns: columnsOf(op).length ? columnsOf(op) : [{ name: 'Count', type: 'long' }], rows: [{ [columnsOf(op)[0]?.name ?? 'Count']: table.rows.length }] };
    case 'DistinctOperator': return distinct(table, op, ctx);
    case 'JoinOperator': return join(table, op, ctx);
    case 'UnionOperator': return union(input, op, ctx);
    case 'MvExpandOperator': return mvExpand(table, op, ctx);
    case 'ParseOperator': return parseOperator(table, op, ctx);
    case 'MakeSeriesOperator': return makeSeries(table, op, ctx);
    case 'RenderOperator': return render(table, op, ctx);
    case 'SerializeOperator': case 'AsOperator': return table;
    default: throw unsupported(firstToken(op), 'operator');
  }
}

/* ------------------------------------------------------------------ pipelines, budget, statements */

/** Work an operator does on `rows` input rows, charged before the pipeline runs. */
function operatorCost(op: KqlNode, rows: number): number {
  switch (op.kind) {
    case 'TakeOperator': case 'CountOperator': case 'RenderOperator': case 'SerializeOperator': case 'AsOperator':
    case 'ProjectAwayOperator': case 'ProjectKeepOperator': case 'ProjectReorderOperator': case 'ProjectRenameOperator': return 0;
    case 'TopOperator': case 'SortOperator': return rows * (countExpressionNodes(op) + Math.ceil(Math.log2(rows + 1)));
    default: return rows * countExpressionNodes(op);
  }
}

function rowBound(op: KqlNode, rows: number, ctx: Context): number {
  switch (op.kind) {
    case 'TakeOperator': case 'TopOperator': case 'SampleOperator': return Math.min(rows, takeCount(op, ctx));
    case 'CountOperator': return 1;
    case 'SummarizeOperator': return childOf(op, 'SummarizeByClause') ? rows : 1;
    default: return rows;
  }
}

/** Evaluates a tabular expression: a table, a `let` name, a parenthesized query or a pipeline. */
function evalTabular(n: KqlNode, ctx: Context): ResultTable {
  switch (n.kind) {
    case 'PipeExpression': {
      const operators: KqlNode[] = [];
      let source: KqlNode = n;
      while (source.kind === 'PipeExpression') {
        operators.unshift(childAt(source, 2) as KqlNode);
        source = childAt(source, 0) as KqlNode;
      }
      let table = source.kind.endsWith('Operator') ? applyOperator(undefined, source, ctx) : evalTabular(source, ctx);
      // Charge the whole pipeline before any operator runs, each operator's input taken as large as it can be.
      let bound = table.rows.length;
      for (const op of operators) {
        ctx.budget.charge(operatorCost(op, bound), firstToken(op));
        bound = rowBound(op, bound, ctx);
      }
      for (const op of operators) table = applyOperator(table, op, ctx);
      return table;
    }
    case 'ParenthesizedExpression': return evalTabular(nodesOf(n)[0] as KqlNode, ctx);
    case 'MaterializeExpression': return evalTabular(nodesOf(n).find((c) => c.columns) as KqlNode, ctx);
    case 'NameReference': {
      const name = nameOf(n);
      const bound = ctx.scope.get(name);
      if (bound && 'table' in bound) return bound.table;
      if (n.symbol?.kind === 'Table') return ctx.source(name);
      throw new KqlError(`Failed to resolve table or column expression named '${name}'`, { code: 'SEM0100', kind: 'SemanticError' });
    }
    case 'UnionOperator': return applyOperator(undefined, n, ctx);
    case 'FunctionCallExpression': {
      const user = ctx.scope.get(functionName(n));
      if (user && 'fn' in user) return inFunctionScope(user.fn, callArgs(n), NO_ROW, ctx, (expr) => evalTabular(expr, ctx));
      throw unsupported(functionName(n), 'function');
    }
    default:
      if (n.kind.endsWith('Operator')) throw unsupported(firstToken(n), 'operator');
      throw unsupported(firstToken(n), 'expression');
  }
}

function bindLet(statement: KqlNode, ctx: Context): void {
  const name = nameOf(childAt(statement, 1) as KqlNode);
  const value = childAt(statement, 3) as KqlNode;
  if (value.kind === 'FunctionDeclaration') { ctx.scope.set(name, { fn: value }); return; }
  if (value.columns) ctx.scope.set(name, { table: evalTabular(value, ctx) });
  else ctx.scope.set(name, { scalar: evalScalar(value, NO_ROW, ctx) });
}

/**
 * Runs a parsed query against a table source. `nowMillis` is the time `ago()`/`now()` refer to.
 * Each pipeline's work is charged to `budget` before it runs, the cells each operator computes are
 * counted against the cap before they are built, and the loops look at the budget's clock, so a
 * query over the limits fails fast with a QueryLimitError instead of blocking or exhausting memory.
 */
export function evaluateKql(query: ParsedQuery, source: TableSource, nowMillis: number, budget: QueryBudget = createQueryBudget()): ResultTable {
  const ctx: Context = { source, nowMillis, budget, scope: new Map(), memo: new Map(), visualization: undefined };
  const statements = listsOf(query.root).flat();
  let result: ResultTable | undefined;
  for (const s of statements) {
    if (s.kind === 'LetStatement') bindLet(s, ctx);
    else if (s.kind === 'ExpressionStatement') {
      const expr = nodesOf(s)[0] as KqlNode;
      if (!expr.columns) throw unsupported(firstToken(expr), 'expression');
      result = evalTabular(expr, ctx);
    } else throw unsupported(firstToken(s), 'operator');
  }
  if (!result) throw new KqlError('The query has no tabular expression to return', { code: 'SEM0100', kind: 'SemanticError' });
  return ctx.visualization ? { ...result, visualization: ctx.visualization } : result;
}
