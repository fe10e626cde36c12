import type { Row } from '../storage/row';
import type { Store } from '../storage/store';
import type { TableName } from '../storage/table-schemas';

/** One page of a table, newest first. */
export interface TelemetryPage {
  /** Rows matching the filter, in all pages. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly Row[];
}

/** What page of which rows to show, as the page asked (clamped here). */
export interface PageRequest {
  /** Case-insensitive text every shown row contains (in any column); empty shows all. */
  readonly filter?: string;
  readonly offset: number;
  readonly limit: number;
}

/** Most rows one page may hold. */
export const MAX_PAGE_ROWS = 1_000;

function clampCount(n: number, min: number, max: number): number {
  return Number.isNaN(n) ? min : Math.max(min, Math.min(max, Math.floor(n)));
}

/**
 * Reads one page of an application's rows in a table, newest first. The store pages and filters
 * (`Store.page`), so only the page's rows are read: the request's limit is clamped to 1 to
 * {@link MAX_PAGE_ROWS} and its offset to at least 0.
 */
export function readTelemetryPage(store: Store, table: TableName, appId: string, request: PageRequest): TelemetryPage {
  const limit = clampCount(request.limit, 1, MAX_PAGE_ROWS);
  const offset = clampCount(request.offset, 0, Number.MAX_SAFE_INTEGER);
  const page = store.page(table, { appId, text: request.filter ?? '', offset, limit });
  return { total: page.total, offset, rows: page.rows };
}
