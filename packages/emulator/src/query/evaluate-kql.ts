/**
 * Evaluates a query's Kusto.Language syntax tree over the stored rows. The binder already typed
 * every expression and named every output column (`count_`, `avg_duration`,
 * `customDimensions_x`...); the evaluator computes the values and takes the names and types from
 * the binder, so they are Kusto's own.
 */import type { KqlNode } from './kusto-language';
import type { ParsedQuery } from './parse-kql';
import { childAt, childOf, countExpressionNodes, firstToken, listsOf, nameOf, nodesOf } from './kql-node';
import { truthy } from './kql-values';
import { createQueryBudget, type QueryBudget } from './query-budget';
import { KqlError } from '../errors';
import { bindLet, callArgs, evalScalar, functionName, inFunctionScope } from './evaluate-scalar';
import { distinct, makeSeries, summarize } from './summarize-operators';
import { join, lookup, union } from './join-operators';
import { datatable, extend, mvExpand, orderKeys, print, project, rename, render, sortRows, takeCount } from './shape-operators';
import { parseOperator } from './parse-operator';
import { range } from './range-operator';
import { checkTableVisible, restrictedEntities } from './visible-tables';
import { reduce } from './reduce-operator';
import { topNested } from './top-nested-operator';
import { columnsOf, NO_ROW, unsupported, type Context, type ResultTable, type TableSource } from './kql-context';

export type { ResultTable, ResultType, TableSource, Visualization } from './kql-context';

/** The .NET type names `getschema` reports. */
const DOTNET_TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'System.String', long: 'System.Int64', int: 'System.Int32', real: 'System.Double', bool: 'System.SByte', datetime: 'System.DateTime',
  timespan: 'System.TimeSpan', dynamic: 'System.Object', guid: 'System.Guid', decimal: 'System.Data.SqlTypes.SqlDecimal',
};

/** Applies one query operator to its input table. */
function applyOperator(input: ResultTable | undefined, op: KqlNode, ctx: Context): ResultTable {
  if (op.kind === 'PrintOperator') return print(op, ctx);
  if (op.kind === 'RangeOperator') return range(op, ctx);
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
    case 'ParseWhereOperator': return parseOperator(table, op, ctx, true);
    case 'MakeSeriesOperator': return makeSeries(table, op, ctx);
    case 'RenderOperator': return render(table, op, ctx);
    case 'LookupOperator': return lookup(table, op, ctx);
    case 'GetSchemaOperator': return {
      columns: columnsOf(op),
      rows: table.columns.map((c, i) => ({ ColumnName: c.name, ColumnOrdinal: i, DataType: DOTNET_TYPE_NAMES[c.type] ?? 'System.Object', ColumnType: c.type })),
    };
    case 'TopNestedOperator': return topNested(table, op, ctx);
    case 'ReduceByOperator': return reduce(table, op, ctx);
    case 'SerializeOperator': case 'AsOperator': return table;
    default: throw unsupported(firstToken(op), 'operator');
  }
}

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

/** The table a name stands for: a tabular `let`, a `let` view (called without arguments), or a visible database table. */
function tableNamed(name: string, ctx: Context): ResultTable {
  const bound = ctx.scope.get(name);
  if (bound && 'table' in bound) return bound.table;
  if (bound && 'fn' in bound) return inFunctionScope(bound.fn, [], NO_ROW, ctx, (expr) => evalTabular(expr, ctx));
  checkTableVisible(name, ctx);
  return ctx.source(name);
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
      if ((bound && !('scalar' in bound)) || n.symbol?.kind === 'Table') return tableNamed(name, ctx);
      throw new KqlError(`Failed to resolve table or column expression named '${name}'`, { code: 'SEM0100', kind: 'SemanticError' });
    }
    case 'UnionOperator': case 'PrintOperator': case 'RangeOperator': return applyOperator(undefined, n, ctx);
    case 'DataTableExpression': return datatable(n, ctx);
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

/**
 * The refusal of a statement that gives no table: name its last operator (`facet`, `make-graph`,
 * `fork` give several tables or a graph), else the expression.
 */
function notTabular(expr: KqlNode): KqlError {
  const last = expr.kind === 'PipeExpression' ? (childAt(expr, 2) as KqlNode) : expr;
  return last.kind.endsWith('Operator') ? unsupported(firstToken(last), 'operator') : unsupported(firstToken(expr), 'expression');
}

/**
 * Runs a parsed query against a table source. `nowMillis` is the time `ago()`/`now()` refer to.
 * Each pipeline's work is charged to `budget` before it runs, the cells each operator computes are
 * counted against the cap before they are built, and the loops look at the budget's clock, so a
 * query over the limits fails fast with a QueryLimitError instead of blocking or exhausting memory.
 */
export function evaluateKql(query: ParsedQuery, source: TableSource, nowMillis: number, budget: QueryBudget = createQueryBudget()): ResultTable {
  const ctx: Context = {
    source, nowMillis, budget, scope: new Map(), memo: new Map(), visualization: undefined, restricted: undefined,
    evalTabular: (n) => evalTabular(n, ctx), tableNamed: (name) => tableNamed(name, ctx),
  };
  const statements = listsOf(query.root).flat();
  let result: ResultTable | undefined;
  for (const s of statements) {
    if (s.kind === 'LetStatement') bindLet(s, ctx);
    else if (s.kind === 'RestrictStatement') ctx.restricted = restrictedEntities(s);
    else if (s.kind === 'ExpressionStatement') {
      const expr = nodesOf(s)[0] as KqlNode;
      if (!expr.columns) throw notTabular(expr);
      result = evalTabular(expr, ctx);
    } else throw unsupported(firstToken(s), 'operator');
  }
  if (!result) throw new KqlError('The query has no tabular expression to return', { code: 'SEM0100', kind: 'SemanticError' });
  return ctx.visualization ? { ...result, visualization: ctx.visualization } : result;
}
