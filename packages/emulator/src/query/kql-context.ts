/** What the KQL evaluator's modules share: result tables, the evaluation context and its errors. */
import { KqlError } from '../errors';
import type { CellValue, Row } from '../storage/row';
import type { KustoType } from '../storage/table-schemas';
import type { KqlColumn, KqlNode } from './kusto-language';
import type { QueryBudget } from './query-budget';

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

export type ScopeValue = { readonly table: ResultTable } | { readonly scalar: CellValue } | { readonly fn: KqlNode };

export interface Context {
  readonly source: TableSource;
  readonly nowMillis: number;
  readonly budget: QueryBudget;
  readonly scope: Map<string, ScopeValue>;
  /** Values computed once per query (toscalar, tabular `in` lists, regexes). */
  readonly memo: Map<KqlNode, unknown>;
  visualization: Visualization | undefined;
  /** The entities a `restrict access to (...)` statement left visible (names or wildcards), when there is one. */
  restricted: readonly string[] | undefined;
  /** Evaluates a tabular expression (a subquery, a `let` table, a join's right side). */
  readonly evalTabular: (n: KqlNode) => ResultTable;
  /** The table a name stands for: a tabular `let`, a `let` view, or a visible database table. */
  readonly tableNamed: (name: string) => ResultTable;
}

export function unsupported(what: string, kind: 'operator' | 'function' | 'expression'): KqlError {
  return new KqlError(`${kind === 'operator' ? 'Query operator' : kind === 'function' ? 'Function' : 'Expression'} '${what}' is not supported by the appinsights emulator`, { code: 'UnsupportedByEmulator', kind: 'SemanticError', [kind]: what });
}

function asType(t: string | undefined): ResultType {
  return (t && t !== 'unknown' && t !== 'void' && t !== 'tuple' ? t : 'dynamic') as ResultType;
}

export function columnsOf(n: KqlNode): ResultColumn[] {
  return (n.columns ?? []).map((c: KqlColumn) => ({ name: c.name, type: asType(c.type) }));
}

export interface RowContext {
  readonly row: Row | undefined;
  /** Rows of the group when evaluating a `summarize` aggregate expression. */
  readonly group: readonly Row[] | undefined;
}

export const NO_ROW: RowContext = { row: undefined, group: undefined };
