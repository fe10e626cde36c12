/**
 * The `reduce` operator (Kusto's reduce page): groups similar strings under a pattern in which `*`
 * stands for any text, giving per group the Pattern, the Count of rows and a Representative (one
 * of the original values). Kusto does not publish its clustering algorithm; the emulator's, chosen
 * to agree with the page's examples:
 *
 * 1. Each value is split into terms at the separator characters (`characters`; by default every
 *    character that is not a letter or digit). Values with the same separators in the same order
 *    (so the same number of terms) are compared with each other.
 * 2. Among those values, a term that appears in less than (1 − threshold) of them is replaced by
 *    `*` (a smaller threshold wildcards more, giving fewer, broader groups; default 0.1).
 * 3. Values with the same resulting pattern form a group (a value whose every term would become
 *    `*` stays itself: such a pattern says nothing). Groups come out largest first.
 *
 * `kind=source` keeps the input rows and appends each row's Pattern instead of aggregating.
 */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { childOf, listAfter, nameOf, childAt } from './kql-node';
import { isNum, toText } from './kql-values';
import { evalScalar } from './evaluate-scalar';
import { namedParameter } from './join-operators';
import { columnsOf, NO_ROW, type Context, type ResultTable } from './kql-context';

/** A value split into terms and the separators between them. */
interface Split {
  readonly terms: string[];
  /** Separator runs: before the first term, between terms, after the last. */
  readonly separators: string[];
}

/** Splits `text` at the separator characters (`isSeparator`). */
export function splitTerms(text: string, isSeparator: (c: string) => boolean): Split {
  const terms: string[] = [];
  const separators: string[] = [''];
  let term = '';
  for (const c of text) {
    if (isSeparator(c)) {
      if (term) { terms.push(term); separators.push(''); term = ''; }
      separators[separators.length - 1] += c;
    } else term += c;
  }
  if (term) { terms.push(term); separators.push(''); }
  return { terms, separators };
}

/** The separator test of `characters` (undefined: every character that is not a letter or digit). */
export function separatorTest(characters: string | undefined): (c: string) => boolean {
  if (characters === undefined) return (c) => !/[\p{L}\p{N}]/u.test(c);
  const set = new Set(characters);
  return (c) => set.has(c);
}

/** The pattern of each value (same order as `values`). */
export function reducePatterns(values: readonly string[], threshold: number, isSeparator: (c: string) => boolean): string[] {
  const splits = values.map((v) => splitTerms(v, isSeparator));
  const shapeOf = (s: Split): string => JSON.stringify(s.separators);
  const shapes = new Map<string, { size: number; termCounts: Map<string, number> }>();
  for (const s of splits) {
    const shape = shapes.get(shapeOf(s)) ?? { size: 0, termCounts: new Map<string, number>() };
    shape.size++;
    for (const t of new Set(s.terms)) shape.termCounts.set(t, (shape.termCounts.get(t) ?? 0) + 1);
    shapes.set(shapeOf(s), shape);
  }
  return splits.map((s) => {
    const shape = shapes.get(shapeOf(s)) as { size: number; termCounts: Map<string, number> };
    const frequent = s.terms.map((t) => (shape.termCounts.get(t) ?? 0) / shape.size >= 1 - threshold);
    // A pattern of wildcards only would say nothing: such a value stays itself.
    const kept = frequent.some(Boolean) ? frequent : frequent.map(() => true);
    let pattern = s.separators[0] ?? '';
    s.terms.forEach((t, i) => {
      if (kept[i]) pattern += t;
      else if (!pattern.endsWith('*')) pattern += '*';
      pattern += s.separators[i + 1] ?? '';
    });
    return pattern;
  });
}

function options(op: KqlNode, ctx: Context): { threshold: number; characters: string | undefined } {
  const withClause = childOf(op, 'ReduceByWithClause');
  let threshold = 0.1;
  let characters: string | undefined;
  for (const p of withClause ? listAfter(withClause) : []) {
    const name = nameOf(childAt(p, 0) as KqlNode).toLowerCase();
    const value = evalScalar(childAt(p, 2) as KqlNode, NO_ROW, ctx);
    if (name === 'threshold') threshold = isNum(value) ? value : NaN;
    if (name === 'characters') characters = toText(value);
  }
  if (!(threshold >= 0 && threshold <= 1)) throw new KqlError('reduce: threshold must be a number between 0 and 1', { code: 'SEM0100', kind: 'SemanticError', operator: 'reduce' });
  return { threshold, characters };
}

/** Evaluates a `ReduceByOperator` over its input. */
export function reduce(table: ResultTable, op: KqlNode, ctx: Context): ResultTable {
  const expr = op.children[op.children.findIndex((c) => c !== null && c.kind === 'ByKeyword') + 1] as KqlNode;
  const { threshold, characters } = options(op, ctx);
  const columns = columnsOf(op);
  const values = table.rows.map((row) => { ctx.budget.tick(); return toText(evalScalar(expr, { row, group: undefined }, ctx)); });
  const patterns = reducePatterns(values, threshold, separatorTest(characters));
  if ((namedParameter(op, 'kind') ?? '').toLowerCase() === 'source') {
    ctx.budget.cells(table.rows.length, 1, 'reduce');
    return { columns, rows: table.rows.map((row, i) => ({ ...row, Pattern: patterns[i] ?? '' })) };
  }
  const groups = new Map<string, { count: number; representative: string }>();
  patterns.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.count++;
    else groups.set(p, { count: 1, representative: values[i] ?? '' });
  });
  ctx.budget.cells(groups.size, 3, 'reduce');
  const rows: Row[] = [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([pattern, g]) => ({ Pattern: pattern, Count: g.count, Representative: g.representative }) as Record<string, CellValue>);
  return { columns, rows };
}
