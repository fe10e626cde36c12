import type { Row } from './row';
import type { RowFilter, Store } from './store';
import { TABLE_NAMES, type TableName } from './table-schemas';

/** Whether a row passes a filter. */
export function matchesFilter(row: Row, filter: RowFilter): boolean {
  const ts = row['timestamp'];
  if (filter.appId !== undefined && row['appId'] !== filter.appId) return false;
  if (filter.fromTimestamp !== undefined && !(typeof ts === 'number' && ts >= filter.fromTimestamp)) return false;
  if (filter.toTimestamp !== undefined && !(typeof ts === 'number' && ts < filter.toTimestamp)) return false;
  return true;
}

/** A plain in-memory store (the default for the programmatic API). */
export function createMemoryStore(): Store {
  const tables = new Map<TableName, Row[]>(TABLE_NAMES.map((t) => [t, []]));
  const table = (name: TableName): Row[] => tables.get(name) as Row[];
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
