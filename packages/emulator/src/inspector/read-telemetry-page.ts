import type { Row } from '../storage/row';

/** One page of a table, newest first. */
export interface TelemetryPage {
  /** Rows matching the filter, in all pages. */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly Row[];
}

/** What page of which rows to show. */
export interface PageRequest {
  /** Case-insensitive text every shown row contains (in any column); empty shows all. */
  readonly filter?: string;
  readonly offset: number;
  readonly limit: number;
}

/** Most rows one page may hold. */
export const MAX_PAGE_ROWS = 1_000;

function rowText(row: Row): string {
  return JSON.stringify(row).toLowerCase();
}

/**
 * Filters and pages rows kept in insertion order, newest first. Only the page is copied: with
 * 100,000 rows and no filter this touches `limit` rows.
 */
export function readTelemetryPage(rows: readonly Row[], request: PageRequest): TelemetryPage {
  const limit = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor(request.limit)));
  const offset = Math.max(0, Math.floor(request.offset));
  const needle = (request.filter ?? '').trim().toLowerCase();
  if (needle === '') {
    const page: Row[] = [];
    for (let i = rows.length - 1 - offset; i >= 0 && page.length < limit; i--) page.push(rows[i] as Row);
    return { total: rows.length, offset, rows: page };
  }
  const page: Row[] = [];
  let total = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as Row;
    if (!rowText(row).includes(needle)) continue;
    if (total >= offset && page.length < limit) page.push(row);
    total++;
  }
  return { total, offset, rows: page };
}
