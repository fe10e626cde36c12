/** A KQL scalar expression. */
export type KqlExpr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly type: 'string' | 'real' | 'long' | 'bool' | 'timespan' | 'datetime' | 'null' }
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'member'; readonly object: KqlExpr; readonly key: string }
  | { readonly kind: 'binary'; readonly op: string; readonly left: KqlExpr; readonly right: KqlExpr }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: KqlExpr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly KqlExpr[] };

/** A named output column. */
export interface NamedExpr {
  readonly name: string;
  readonly expr: KqlExpr;
}

/** A sort key. */
export interface SortKey {
  readonly expr: KqlExpr;
  readonly descending: boolean;
}

/** An aggregation of `summarize`. */
export interface Aggregate {
  readonly name: string;
  readonly fn: 'count' | 'sum' | 'avg' | 'min' | 'max' | 'dcount';
  readonly arg?: KqlExpr;
}

/** A tabular operator after `|`. */
export type KqlOperator =
  | { readonly op: 'where'; readonly predicate: KqlExpr }
  | { readonly op: 'project'; readonly columns: readonly NamedExpr[] }
  | { readonly op: 'extend'; readonly columns: readonly NamedExpr[] }
  | { readonly op: 'take'; readonly count: number }
  | { readonly op: 'top'; readonly count: number; readonly key: SortKey }
  | { readonly op: 'sort'; readonly keys: readonly SortKey[] }
  | { readonly op: 'summarize'; readonly aggregates: readonly Aggregate[]; readonly by: readonly NamedExpr[] }
  | { readonly op: 'count' };

/** A parsed query: a table and a pipeline of operators. */
export interface KqlQuery {
  readonly table: string;
  readonly operators: readonly KqlOperator[];
}
