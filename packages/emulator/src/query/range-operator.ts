/**
 * The `range` operator: `range x from start to stop step step`, a one-column table of start,
 * start + step, ... up to and including stop (Kusto's range operator page). Numbers, datetimes
 * and timespans (milliseconds here) step alike; a negative step counts down. The rows are counted
 * against the query's cell cap before any is built, so a huge range fails fast.
 */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KqlNode } from './kusto-language';
import { isNum } from './kql-values';
import { evalScalar } from './evaluate-scalar';
import { columnsOf, NO_ROW, type Context, type ResultTable } from './kql-context';

const rangeError = (message: string): KqlError => new KqlError(message, { code: 'SEM0100', kind: 'SemanticError', operator: 'range' });

/** How many values a range has (0 when stop is before start in the step's direction), or why it has none. */
export function rangeCount(start: CellValue, stop: CellValue, step: CellValue): number | KqlError {
  if (!isNum(start) || !isNum(stop) || !isNum(step)) return rangeError("range: 'from', 'to' and 'step' must be numbers, datetimes or timespans, not null");
  if (step === 0) return rangeError("range: 'step' must not be zero: give a positive step to count up, a negative one to count down");
  const span = (stop - start) / step;
  // The epsilon keeps a real step that lands on stop (0.1 * 3 = 0.30000000000000004) from losing the last value.
  return span < 0 ? 0 : Math.floor(span + 1e-9) + 1;
}

/** The `i`-th value: start + i * step (not a running sum, so real steps do not drift). */
const rangeValue = (start: number, step: number, i: number): number => start + i * step;

/** The expression after `keyword` among the operator's children. */
function bound(op: KqlNode, keyword: string, ctx: Context): CellValue {
  const i = op.children.findIndex((c) => c !== null && c.kind === keyword);
  const expr = op.children[i + 1];
  return expr ? evalScalar(expr, NO_ROW, ctx) : null;
}

/** Evaluates a `RangeOperator` node into its table. */
export function range(op: KqlNode, ctx: Context): ResultTable {
  const columns = columnsOf(op);
  const name = columns[0]?.name ?? 'value';
  const start = bound(op, 'FromKeyword', ctx);
  const step = bound(op, 'StepKeyword', ctx);
  const count = rangeCount(start, bound(op, 'ToKeyword', ctx), step);
  if (count instanceof KqlError) throw count;
  ctx.budget.cells(count, 1, 'range');
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    ctx.budget.tick();
    rows.push({ [name]: rangeValue(start as number, step as number, i) });
  }
  return { columns, rows };
}
