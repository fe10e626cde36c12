/** The aggregating operators: `summarize`, `make-series`, `distinct`. */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { MULTI_COLUMN_AGGREGATES, percentileOf } from './aggregate-functions';
import { childAt, childOf, listAfter, listsOf, named, nameOf, nodesOf } from './kql-node';
import { compareCells, groupKey, isNum, toText } from './kql-values';
import { callArgs, evalScalar, functionName } from './evaluate-scalar';
import { columnsOf, NO_ROW, type Context, type ResultTable } from './kql-context';

export function groupRows(rows: readonly Row[], by: KqlNode[], ctx: Context): { keys: CellValue[]; rows: Row[] }[] {
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

export function summarize(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

export function makeSeries(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

export function distinct(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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
