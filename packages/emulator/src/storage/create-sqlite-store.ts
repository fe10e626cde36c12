import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EmulatorError } from '../errors';
import { checkPageQuery } from './check-page-query';
import { createSqlitePager } from './page-sqlite-table';
import type { Row } from './row';
import { rowJson } from './row-search-text';
import type { RowFilter, Store } from './store';
import { TABLE_NAMES } from './table-schemas';

/** The stored row's operation id, as the `_op` expression index is built (same text, or SQLite ignores the index). */
const OPERATION_ID = "json_extract(row, '$.operation_Id')";

interface StoredRow {
  readonly row: string;
}

function where(filter: RowFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.appId !== undefined) { clauses.push('app_id = ?'); params.push(filter.appId); }
  if (filter.fromTimestamp !== undefined) { clauses.push('ts >= ?'); params.push(filter.fromTimestamp); }
  if (filter.toTimestamp !== undefined) { clauses.push('ts < ?'); params.push(filter.toTimestamp); }
  if (filter.operationId !== undefined) { clauses.push(`${OPERATION_ID} = ?`); params.push(filter.operationId); }
  return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * A SQLite store in `<dataDir>/telemetry.sqlite` (WAL mode). Each table keeps the timestamp and
 * application id as indexed columns and the whole row as JSON; `(app_id, seq)` is indexed for
 * newest-first pages (`page-sqlite-table.ts`), and the row's operation id for the transaction view.
 */
export function createSqliteStore(dataDir: string): Store {
  let db: Database.Database;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    db = new Database(path.join(dataDir, 'telemetry.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    for (const t of TABLE_NAMES) {
      db.exec(`CREATE TABLE IF NOT EXISTS "${t}" (seq INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER, app_id TEXT, row TEXT NOT NULL);
               CREATE INDEX IF NOT EXISTS "${t}_ts" ON "${t}" (app_id, ts);
               CREATE INDEX IF NOT EXISTS "${t}_app_seq" ON "${t}" (app_id, seq);
               CREATE INDEX IF NOT EXISTS "${t}_op" ON "${t}" (app_id, ${OPERATION_ID});`);
    }
  } catch (e) {
    throw new EmulatorError('EMU_STORAGE', `cannot open the SQLite store in ${dataDir}`, { cause: e });
  }
  const inserts = new Map(TABLE_NAMES.map((t) => [t, db.prepare(`INSERT INTO "${t}" (ts, app_id, row) VALUES (?, ?, ?)`)]));
  const insertMany = db.transaction((table: (typeof TABLE_NAMES)[number], rows: readonly Row[]) => {
    const stmt = inserts.get(table);
    for (const r of rows) {
      const ts = typeof r['timestamp'] === 'number' ? r['timestamp'] : null;
      const app = typeof r['appId'] === 'string' ? r['appId'] : null;
      stmt?.run(ts, app, rowJson(r));
    }
  });
  const page = createSqlitePager(db);
  return {
    insert(table, rows) {
      if (rows.length > 0) insertMany(table, rows);
    },
    read(table, filter = {}) {
      const w = where(filter);
      const limit = filter.limit === undefined || !Number.isFinite(filter.limit) ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
      const rows = db.prepare(`SELECT row FROM "${table}"${w.sql} ORDER BY seq${limit}`).all(...w.params) as StoredRow[];
      return rows.map((r) => JSON.parse(r.row) as Row);
    },
    page(table, query) {
      checkPageQuery(query);
      return page(table, query);
    },
    count(table, filter = {}) {
      const w = where(filter);
      return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"${w.sql}`).get(...w.params) as { n: number }).n;
    },
    clear() {
      for (const t of TABLE_NAMES) db.exec(`DELETE FROM "${t}"`);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
