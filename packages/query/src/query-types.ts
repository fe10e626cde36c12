/** A scalar or structured value as the query API returns it in a table cell. */
export type QueryValue = string | number | boolean | null | QueryValue[] | { [key: string]: QueryValue };

/** One column of a result table: its name and its Kusto type (`string`, `long`, `datetime`, ...). */
export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

/** One result table, exactly as the query API returns it. */
export interface QueryTable {
  readonly name: string;
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly (readonly QueryValue[])[];
}

/** The result of one query: every table the query produced (`PrimaryResult` first). */
export interface QueryResult {
  readonly tables: readonly QueryTable[];
}

/** The Azure cloud whose query API to call. */
export type QueryCloud = 'public' | 'china' | 'usgov';

/** Options for one query. */
export interface QueryOptions {
  /**
   * ISO-8601 duration or interval the query covers (e.g. `PT1H`, `P1D`,
   * `2024-01-01T00:00:00Z/2024-01-02T00:00:00Z`). Omit to let the service apply its default.
   */
  readonly timespan?: string;
  /** Abort the request. */
  readonly abortSignal?: AbortSignal;
}
