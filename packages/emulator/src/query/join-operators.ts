/** The combining operators: `join`, `lookup`, `union`. */
import type { Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { childAt, childOf, listAfter, listsOf, nameOf, nodesOf, tokenText } from './kql-node';
import { groupKey } from './kql-values';
import { columnsOf, unsupported, type Context, type ResultColumn, type ResultTable } from './kql-context';
import { matchWildcard } from './visible-tables';

export function namedParameter(op: KqlNode, parameter: string): string | undefined {
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

export function join(left: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const kind = (namedParameter(op, 'kind') ?? 'innerunique').toLowerCase();
  const rightNode = nodesOf(op).find((c) => c.columns && c.kind !== 'JoinOnClause') as KqlNode;
  const right = ctx.evalTabular(rightNode);
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

/** `lookup (dimension) on key`: a left outer (or `kind=inner`) join that adds the right side's other columns. */
export function lookup(left: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const kind = (namedParameter(op, 'kind') ?? 'leftouter').toLowerCase();
  const right = ctx.evalTabular(nodesOf(op).find((c) => c.columns && c.kind !== 'JoinOnClause') as KqlNode);
  const clause = childOf(op, 'JoinOnClause');
  if (!clause) throw unsupported('lookup without on', 'operator');
  const keys = joinKeys(clause);
  const keyOf = (row: Row, side: 'left' | 'right'): string => groupKey(keys.map((k) => row[k[side] as string] ?? null));
  const index = new Map<string, Row>();
  for (const r of right.rows) { ctx.budget.tick(); if (!index.has(keyOf(r, 'right'))) index.set(keyOf(r, 'right'), r); }
  const leftNames = new Set(left.columns.map((c) => c.name));
  const columns = columnsOf(op);
  const rows: Row[] = [];
  for (const l of left.rows) {
    ctx.budget.tick();
    const r = index.get(keyOf(l, 'left'));
    if (!r && kind === 'inner') continue;
    const out: Row = { ...l };
    for (const c of columns) if (!leftNames.has(c.name)) out[c.name] = r ? (r[c.name] ?? null) : null;
    rows.push(out);
  }
  return { columns, rows };
}

/** True for a wildcard table name (`*`, `req*`) among a union's sources. */
const isWildcard = (n: KqlNode): boolean => n.kind === 'NameReference' && n.children.some((c) => c?.kind === 'WildcardedName');

/** The outer union of the sources' columns by name, in order of first appearance (`withsource` first). */
function outerColumns(tables: readonly { table: ResultTable }[], withSource: string | undefined): ResultColumn[] {
  const columns: ResultColumn[] = withSource ? [{ name: withSource, type: 'string' }] : [];
  for (const t of tables) for (const c of t.table.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
  return columns;
}

export function union(input: ResultTable | undefined, op: KqlNode, ctx: Context): ResultTable {
  const [, sources = []] = listsOf(op);
  const withSource = namedParameter(op, 'withsource');
  const tables: { name: string; table: ResultTable }[] = [];
  if (input) tables.push({ name: 'union_arg0', table: input });
  for (const s of sources) {
    if (isWildcard(s)) for (const name of matchWildcard(tokenText(s).trim(), ctx)) tables.push({ name, table: ctx.tableNamed(name) });
    else tables.push({ name: s.kind === 'NameReference' ? nameOf(s) : `union_arg${tables.length}`, table: ctx.evalTabular(s) });
  }
  // The binder types a wildcard only over database tables, whatever `restrict` and `let` views say: the emulator types it from what matched.
  const columns = sources.some(isWildcard) ? outerColumns(tables, withSource) : columnsOf(op);
  const rows: Row[] = [];
  for (const t of tables) {
    for (const row of t.table.rows) {
      ctx.budget.tick();
      rows.push(withSource ? { ...row, [withSource]: t.name } : row);
    }
  }
  return { columns, rows };
}
