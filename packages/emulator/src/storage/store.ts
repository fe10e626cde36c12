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
  /** Read at most this many rows (the first ones, in insertion order); ignored by `count`. */
  readonly limit?: number;
}

/** Where accepted telemetry is kept. */
export interface Store {
  /** Appends rows to a table. */
  insert(table: TableName, rows: readonly Row[]): void;
  /** Reads a table's rows (insertion order). */
  read(table: TableName, filter?: RowFilter): Row[];
  /** Counts a table's rows. */
  count(table: TableName, filter?: RowFilter): number;
  /** Deletes everything. */
  clear(): void;
  /** Releases resources. */
  close(): void;
}
