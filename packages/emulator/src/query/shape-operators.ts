/** The row-shaping operators: `project`, `extend`, `project-rename`, `sort`/`top` keys, `mv-expand`, `print`, `datatable`, `render`, `take`. */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { childAt, childOf, firstToken, listAfter, listsOf, named, nameOf, nodesOf, tokenText } from './kql-node';
import { compareCells, isNum, parseDynamic } from './kql-values';
import { convertTo } from './scalar-functions';
import { evalScalar } from './evaluate-scalar';
import { columnsOf, NO_ROW, type Context, type ResultColumn, type ResultTable } from './kql-context';

export function orderKeys(items: KqlNode[]): { expr: KqlNode; desc: boolean; nullsFirst: boolean }[] {
  return items.map((item) => {
    if (item.kind !== 'OrderedExpression') return { expr: item, desc: true, nullsFirst: false };
    const clause = childOf(item, 'OrderingClause');
    const words = clause ? tokenText(clause).toLowerCase() : '';
    const desc = !/asc/.test(words);
    const nullsFirst = /nullsfirst/.test(words.replace(/\s/g, '')) || (!/nullslast/.test(words.replace(/\s/g, '')) && !desc);
    return { expr: childAt(item, 0) as KqlNode, desc, nullsFirst };
  });
}

export function sortRows(rows: readonly Row[], keys: { expr: KqlNode; desc: boolean; nullsFirst: boolean }[], ctx: Context): Row[] {
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

export function project(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

export function extend(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

export function rename(table: ResultTable, op: KqlNode): ResultTable {
  const pairs = listAfter(op).map((item) => ({ to: nameOf(childAt(item, 0) as KqlNode), from: nameOf(childAt(item, 2) as KqlNode) }));
  const rows = table.rows.map((row) => {
    const out: Row = { ...row };
    for (const p of pairs) out[p.to] = row[p.from] ?? null;
    return out;
  });
  return { columns: columnsOf(op), rows };
}

export function mvExpand(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

/** `print a = 1, b = strcat(...)`: one row of scalar expressions. */
export function print(op: KqlNode, ctx: Context): ResultTable {
  const columns = columnsOf(op);
  const row: Row = {};
  listAfter(op).map(named).forEach((item, i) => { row[(columns[i] as ResultColumn).name] = evalScalar(item.expr, NO_ROW, ctx); });
  return { columns, rows: [row] };
}

/** `datatable(a: long, b: string) [1, "x", ...]`: the literal rows, filled column by column. */
export function datatable(n: KqlNode, ctx: Context): ResultTable {
  const columns = columnsOf(n);
  const values = (listsOf(n)[1] ?? []).map((v) => evalScalar(v, NO_ROW, ctx));
  const rows: Row[] = [];
  for (let i = 0; columns.length > 0 && i < values.length; i += columns.length) {
    const row: Row = {};
    columns.forEach((c, j) => (row[c.name] = values[i + j] ?? null));
    rows.push(row);
  }
  return { columns, rows };
}

export function render(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
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

export function takeCount(op: KqlNode, ctx: Context): number {
  const expr = nodesOf(op).find((c) => c.kind !== 'List') as KqlNode;
  const n = evalScalar(expr, NO_ROW, ctx);
  if (!isNum(n)) throw new KqlError(`'${firstToken(op)}' needs a number of rows`, { code: 'SEM0100', kind: 'SemanticError' });
  return Math.max(0, Math.trunc(n));
}
