import { checkPageQuery } from './check-page-query';
import type { Row } from './row';
import { rowJson, rowSearchText, searchNeedle } from './row-search-text';
import type { PageQuery, RowFilter, RowPage, Store } from './store';
import { TABLE_NAMES, type TableName } from './table-schemas';

/**
 * A table in memory: rows in insertion order and, at the same index, each row's `appId` and
 * `operation_Id` (read once at insert: rows are wide objects, and reading a property of each of
 * 100,000 of them per page costs more than the page).
 */
interface MemoryTable {
  readonly rows: Row[];
  readonly appIds: unknown[];
  readonly operationIds: unknown[];
}

/** Whether a row passes a filter. */
function matchesFilter(row: Row, filter: RowFilter): boolean {
  const ts = row['timestamp'];
  if (filter.appId !== undefined && row['appId'] !== filter.appId) return false;
  if (filter.operationId !== undefined && row['operation_Id'] !== filter.operationId) return false;
  if (filter.fromTimestamp !== undefined && !(typeof ts === 'number' && ts >= filter.fromTimestamp)) return false;
  if (filter.toTimestamp !== undefined && !(typeof ts === 'number' && ts < filter.toTimestamp)) return false;
  return true;
}

/** Pages a table newest first: one pass back to front, copying only the page. */
function pageNewestFirst(table: MemoryTable, query: PageQuery, matches: (index: number) => boolean): RowPage {
  const page: Row[] = [];
  let total = 0;
  for (let i = table.rows.length - 1; i >= 0; i--) {
    if (!matches(i)) continue;
    if (total >= query.offset && page.length < query.limit) page.push(table.rows[i] as Row);
    total++;
  }
  return { total, rows: page };
}

/**
 * The matcher of a page query, by row index. A row's search text is made once, at the first text
 * filter that reads it, and kept while the row is (the next filter only searches strings).
 */
function pageMatcher(table: MemoryTable, query: PageQuery, searchTextOf: (row: Row) => string): (index: number) => boolean {
  const needle = searchNeedle(query.text);
  const { appId } = query;
  return (i) => (appId === undefined || table.appIds[i] === appId) && (needle === '' || searchTextOf(table.rows[i] as Row).includes(needle));
}

/** The rows of a table that pass a filter, with the `limit` it names (the operation's rows found by index). */
function readRows(table: MemoryTable, filter: RowFilter): Row[] {
  const out: Row[] = [];
  const limit = filter.limit ?? Infinity;
  for (let i = 0; i < table.rows.length && out.length < limit; i++) {
    if (filter.operationId !== undefined && table.operationIds[i] !== filter.operationId) continue;
    if (matchesFilter(table.rows[i] as Row, filter)) out.push(table.rows[i] as Row);
  }
  return out;
}

function countRows(table: MemoryTable, filter: RowFilter): number {
  if (filter.fromTimestamp === undefined && filter.toTimestamp === undefined && filter.operationId === undefined) {
    return filter.appId === undefined ? table.rows.length : table.appIds.reduce<number>((n, id) => (id === filter.appId ? n + 1 : n), 0);
  }
  return readRows(table, { ...filter, limit: undefined }).length;
}

/** A plain in-memory store (the default for the programmatic API). */
export function createMemoryStore(): Store {
  const tables = new Map<TableName, MemoryTable>(TABLE_NAMES.map((t) => [t, { rows: [], appIds: [], operationIds: [] }]));
  const table = (name: TableName): MemoryTable => tables.get(name) as MemoryTable;
  const searchTexts = new WeakMap<Row, string>();
  const searchTextOf = (row: Row): string => {
    let text = searchTexts.get(row);
    if (text === undefined) searchTexts.set(row, (text = rowSearchText(rowJson(row))));
    return text;
  };
  const empty = (): void => {
    for (const t of tables.values()) t.rows.length = t.appIds.length = t.operationIds.length = 0;
  };
  return {
    insert(name, rows) {
      const t = table(name);
      for (const r of rows) {
        t.rows.push(r);
        t.appIds.push(r['appId']);
        t.operationIds.push(r['operation_Id']);
      }
    },
    read: (name, filter = {}) => readRows(table(name), filter),
    page(name, query) {
      checkPageQuery(query);
      const t = table(name);
      return pageNewestFirst(t, query, pageMatcher(t, query, searchTextOf));
    },
    count: (name, filter = {}) => countRows(table(name), filter),
    clear: empty,
    close: empty,
  };
}
