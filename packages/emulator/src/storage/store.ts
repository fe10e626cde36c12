import type { Row } from './row';
import type { TableName } from './table-schemas';

/** Filter applied when reading a table. */
export interface RowFilter {
  /** Only rows of this application id. */
  readonly appId?: string;
  /** Inclusive lower bound on `timestamp` (epoch ms). */
  readonly fromTimestamp?: number;
  /** Exclusive upper bound on `timestamp` (epoch ms). */
  readonly toTimestamp?: number;
  /** Only rows of this operation (`operation_Id`): the inspector's transaction view. */
  readonly operationId?: string;
  /** Read at most this many rows (the first ones, in insertion order); ignored by `count`. */
  readonly limit?: number;
}

/** One page of a table, newest first (the last inserted row first). */
export interface PageQuery {
  /** Only rows of this application id. */
  readonly appId?: string;
  /**
   * Only rows whose stored JSON contains this text, compared case-insensitively (see
   * `row-search-text.ts`); empty or absent matches every row.
   */
  readonly text?: string;
  /** Matching rows to skip, newest first (a whole number, at least 0). */
  readonly offset: number;
  /** Most rows to return (a whole number, at least 0). */
  readonly limit: number;
}

/** What `Store.page` returns. */
export interface RowPage {
  /** Rows matching the query's `appId` and `text` in all pages. */
  readonly total: number;
  /** The page's rows, newest first. */
  readonly rows: Row[];
}

/** Where accepted telemetry is kept. */
export interface Store {
  /** Appends rows to a table. */
  insert(table: TableName, rows: readonly Row[]): void;
  /** Reads a table's rows (insertion order). */
  read(table: TableName, filter?: RowFilter): Row[];
  /** Reads one page of a table, newest first, with the total the query matches. */
  page(table: TableName, query: PageQuery): RowPage;
  /** Counts a table's rows. */
  count(table: TableName, filter?: RowFilter): number;
  /** Deletes everything. */
  clear(): void;
  /** Releases resources. */
  close(): void;
}
