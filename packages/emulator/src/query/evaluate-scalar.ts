/** Evaluation of KQL scalar expressions (and aggregate expressions over a group) on a row. */
import { KqlError } from '../errors';
import type { CellValue } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { aggregateFunction, isAggregate, MULTI_COLUMN_AGGREGATES } from './aggregate-functions';
import { decodeStringToken, parseDatetimeText, parseTimespanText, unwrapLiteral } from './kql-literals';
import { childAt, childOf, firstToken, listAfter, nameOf, nodesOf, tokenText } from './kql-node';
import { compareCells, hasTerm, isNum, kustoEquals, toText, truthy } from './kql-values';
import { compileRegex, dynamicMember, scalarFunction } from './scalar-functions';
import { NO_ROW, unsupported, type Context, type RowContext, type ScopeValue } from './kql-context';

export function literal(n: KqlNode): CellValue {
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
        const t = ctx.evalTabular(item);
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

export function callArgs(n: KqlNode): KqlNode[] {
  const list = childOf(n, 'ExpressionList');
  return list ? listAfter(list) : [];
}

export function functionName(n: KqlNode): string {
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
        const t = ctx.evalTabular(inner);
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
 * restores the caller's scope. The body sees every table: a `restrict` statement limits the query
 * that follows it, not the views it lets through (that is how they filter rows for the caller).
 */
export function inFunctionScope<T>(decl: KqlNode, args: KqlNode[], rc: RowContext, ctx: Context, run: (body: KqlNode) => T): T {
  const params = childOf(decl, 'FunctionParameters');
  const names = params ? listAfter(params).map((p) => nameOf(p)) : [];
  const body = childOf(decl, 'FunctionBody');
  const expr = body ? nodesOf(body).find((c) => c.kind !== 'List') : undefined;
  if (!body || !expr) throw unsupported('let function without a body expression', 'expression');
  const values = names.map((_p, i) => (args[i] ? evalScalar(args[i] as KqlNode, rc, ctx) : null));
  const saved = new Map(ctx.scope);
  names.forEach((p, i) => ctx.scope.set(p, { scalar: values[i] ?? null }));
  const restricted = ctx.restricted;
  ctx.restricted = undefined;
  try {
    for (const s of listAfter(body)) if (s.kind === 'LetStatement') bindLet(s, ctx);
    return run(expr);
  } finally {
    ctx.restricted = restricted;
    ctx.scope.clear();
    for (const [k, v] of saved) ctx.scope.set(k, v);
  }
}

/** A `let` function called with scalar arguments in a scalar context. */
function callUserFunction(decl: KqlNode, args: KqlNode[], rc: RowContext, ctx: Context): CellValue {
  return inFunctionScope(decl, args, rc, ctx, (expr) => evalScalar(expr, rc, ctx));
}

export function bindLet(statement: KqlNode, ctx: Context): void {
  const name = nameOf(childAt(statement, 1) as KqlNode);
  const value = childAt(statement, 3) as KqlNode;
  if (value.kind === 'FunctionDeclaration') { ctx.scope.set(name, { fn: value }); return; }
  if (value.columns) ctx.scope.set(name, { table: ctx.evalTabular(value) });
  else ctx.scope.set(name, { scalar: evalScalar(value, NO_ROW, ctx) });
}
