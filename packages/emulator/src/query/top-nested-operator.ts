/**
 * The `top-nested` operator (Kusto's top-nested page): hierarchical aggregation. The first clause
 * partitions the rows by its expression, aggregates each partition and keeps the top N (all when N
 * is omitted) by that aggregate, descending unless `asc`; each further clause does the same inside
 * every partition the previous one kept. Each clause gives two columns: the partition value and
 * the aggregate. `with others = v` adds, per level, one row for the partitions left out, whose
 * value is v, aggregated over all their rows; the deeper levels of that row are null.
 */
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { childAt, childOf, listAfter, named, nodesOf, tokenText } from './kql-node';
import { compareCells, isNum } from './kql-values';
import { evalScalar } from './evaluate-scalar';
import { groupRows } from './summarize-operators';
import { columnsOf, NO_ROW, type Context, type ResultTable } from './kql-context';

/** One `top-nested N of expr [with others = v] by aggregate [asc|desc]` clause. */
interface Level {
  readonly limit: number | undefined;
  readonly key: KqlNode;
  readonly others: CellValue | undefined;
  readonly aggregate: KqlNode;
  readonly desc: boolean;
}

function levelOf(clause: KqlNode, ctx: Context): Level {
  const limitNode = childAt(clause, 1);
  const limit = limitNode ? evalScalar(limitNode, NO_ROW, ctx) : null;
  const others = childOf(clause, 'TopNestedWithOthersClause');
  const by = clause.children.findIndex((c) => c !== null && c.kind === 'ByKeyword');
  const ordered = clause.children[by + 1] as KqlNode;
  const ordering = ordered.kind === 'OrderedExpression' ? childOf(ordered, 'OrderingClause') : undefined;
  return {
    limit: isNum(limit) ? Math.max(0, Math.trunc(limit)) : undefined,
    key: named(childAt(clause, 3) as KqlNode).expr,
    others: others ? evalScalar(nodesOf(others)[0] as KqlNode, NO_ROW, ctx) : undefined,
    aggregate: named(ordered.kind === 'OrderedExpression' ? (childAt(ordered, 0) as KqlNode) : ordered).expr,
    desc: !ordering || !/^asc/i.test(tokenText(ordering).trim()),
  };
}

/** Orders aggregate values, nulls last whichever the direction. */
export function byAggregate(desc: boolean): (a: CellValue, b: CellValue) => number {
  return (a, b) => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return desc ? compareCells(b, a) : compareCells(a, b);
  };
}

/** The output rows (as value lists) of `levels[depth..]` over `rows`, each prefixed with `prefix`. */
function nest(rows: readonly Row[], levels: readonly Level[], depth: number, prefix: readonly CellValue[], ctx: Context): CellValue[][] {
  const level = levels[depth];
  if (!level) return [[...prefix]];
  const groups = groupRows(rows, [level.key], ctx).map((g) => ({ key: g.keys[0] ?? null, rows: g.rows, value: evalScalar(level.aggregate, { row: undefined, group: g.rows }, ctx) }));
  const order = byAggregate(level.desc);
  groups.sort((a, b) => order(a.value, b.value));
  const kept = level.limit === undefined ? groups : groups.slice(0, level.limit);
  const out: CellValue[][] = [];
  for (const g of kept) out.push(...nest(g.rows, levels, depth + 1, [...prefix, g.key, g.value], ctx));
  const rest = groups.slice(kept.length);
  if (level.others !== undefined && rest.length > 0) {
    const restRows = rest.flatMap((g) => g.rows);
    const deeper = Array<CellValue>((levels.length - depth - 1) * 2).fill(null);
    out.push([...prefix, level.others, evalScalar(level.aggregate, { row: undefined, group: restRows }, ctx), ...deeper]);
  }
  return out;
}

/** Evaluates a `TopNestedOperator` over its input. */
export function topNested(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const levels = listAfter(op).filter((c) => c.kind === 'TopNestedClause').map((c) => levelOf(c, ctx));
  const columns = columnsOf(op);
  const values = nest(table.rows, levels, 0, [], ctx);
  ctx.budget.cells(values.length, columns.length, 'top-nested');
  const rows = values.map((v) => {
    const row: Row = {};
    columns.forEach((c, i) => (row[c.name] = v[i] ?? null));
    return row;
  });
  return { columns, rows };
}
