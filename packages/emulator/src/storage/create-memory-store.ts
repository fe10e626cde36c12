import { checkPageQuery } from './check-page-query';
import type { Row } from './row';
import { rowJson, rowSearchText, searchNeedle } from './row-search-text';
import type { PageQuery, RowFilter, RowPage, Store } from './store';
import { TABLE_NAMES, type TableName } from './table-schemas';

/** Whether a row passes a filter. */
export function matchesFilter(row: Row, filter: RowFilter): boolean {
  const ts = row['timestamp'];
  if (filter.appId !== undefined && row['appId'] !== filter.appId) return false;
  if (filter.fromTimestamp !== undefined && !(typeof ts === 'number' && ts >= filter.fromTimestamp)) return false;
  if (filter.toTimestamp !== undefined && !(typeof ts === 'number' && ts < filter.toTimestamp)) return false;
  return true;
}

/** Pages rows kept in insertion order, newest first: one pass back to front, copying only the page. */
function pageNewestFirst(rows: readonly Row[], query: PageQuery, matches: (row: Row) => boolean): RowPage {
  const page: Row[] = [];
  let total = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as Row;
    if (!matches(row)) continue;
    if (total >= query.offset && page.length < query.limit) page.push(row);
    total++;
  }
  return { total, rows: page };
}

/**
 * The matcher of a page query. A row's search text is made once, at the first text filter that
 * reads it, and kept while the row is (the next filter over 100,000 rows only searches strings).
 */
function pageMatcher(query: PageQuery, searchTextOf: (row: Row) => string): (row: Row) => boolean {
  const needle = searchNeedle(query.text);
  const { appId } = query;
  return (row) => (appId === undefined || row['appId'] === appId) && (needle === '' || searchTextOf(row).includes(needle));
}

/** A plain in-memory store (the default for the programmatic API). */
export function createMemoryStore(): Store {
  const tables = new Map<TableName, Row[]>(TABLE_NAMES.map((t) => [t, []]));
  const table = (name: TableName): Row[] => tables.get(name) as Row[];
  const searchTexts = new WeakMap<Row, string>();
  const searchTextOf = (row: Row): string => {
    let text = searchTexts.get(row);
    if (text === undefined) searchTexts.set(row, (text = rowSearchText(rowJson(row))));
    return text;
  };
  return {
    insert(name, rows) {
      const t = table(name);
      for (const r of rows) t.push(r);
    },
    read(name, filter = {}) {
      const out: Row[] = [];
      const limit = filter.limit ?? Infinity;
      for (const r of table(name)) {
        if (out.length >= limit) break;
        if (matchesFilter(r, filter)) out.push(r);
      }
      return out;
    },
    page(name, query) {
      checkPageQuery(query);
      return pageNewestFirst(table(name), query, pageMatcher(query, searchTextOf));
    },
    count: (name, filter = {}) => (filter.appId === undefined && filter.fromTimestamp === undefined && filter.toTimestamp === undefined
      ? table(name).length
      : table(name).filter((r) => matchesFilter(r, filter)).length),
    clear() {
      for (const t of tables.values()) t.length = 0;
    },
    close() {
      for (const t of tables.values()) t.length = 0;
    },
  };
}
