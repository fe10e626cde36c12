import type Database from 'better-sqlite3';
import type { Row } from './row';
import { rowSearchText, searchNeedle } from './row-search-text';
import type { PageQuery, RowPage } from './store';
import type { TableName } from './table-schemas';

/** SQL function the text filter calls: 1 when a stored row's search text holds the needle. */
const ROW_HAS_TEXT = 'appinsights_row_has_text';

/**
 * Pages SQLite tables newest first. Rows are ordered by `seq` (insertion order) and found through
 * the `(app_id, seq)` index, so a page costs `offset + limit` index entries and `limit` row reads
 * however deep it is. A text filter is one scan of the application's rows that keeps only the
 * matching `seq`s (the total is their number), then reads the page's rows by `seq`.
 */
export function createSqlitePager(db: Database.Database): (table: TableName, query: PageQuery) => RowPage {
  db.function(ROW_HAS_TEXT, { deterministic: true }, (json: unknown, needle: unknown) =>
    (typeof json === 'string' && typeof needle === 'string' && rowSearchText(json).includes(needle) ? 1 : 0));
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (s === undefined) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const parse = (rows: unknown[]): Row[] => (rows as string[]).map((json) => JSON.parse(json) as Row);

  const unfiltered = (table: TableName, appId: string | undefined, query: PageQuery): RowPage => {
    const where = appId === undefined ? '' : ' WHERE app_id = ?';
    const scope = appId === undefined ? [] : [appId];
    const total = statement(`SELECT COUNT(*) FROM "${table}"${where}`).pluck().get(...scope) as number;
    const rows = statement(`SELECT row FROM "${table}"${where} ORDER BY seq DESC LIMIT ? OFFSET ?`).pluck().all(...scope, query.limit, query.offset);
    return { total, rows: parse(rows) };
  };

  const filtered = (table: TableName, appId: string | undefined, needle: string, query: PageQuery): RowPage => {
    const where = `${appId === undefined ? '' : 'app_id = ? AND '}${ROW_HAS_TEXT}(row, ?)`;
    const seqs = statement(`SELECT seq FROM "${table}" WHERE ${where} ORDER BY seq DESC`).pluck().all(...(appId === undefined ? [] : [appId]), needle) as number[];
    const pageSeqs = seqs.slice(query.offset, query.offset + query.limit);
    const rows = pageSeqs.length === 0 ? [] : statement(`SELECT row FROM "${table}" WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq DESC`).pluck().all(JSON.stringify(pageSeqs));
    return { total: seqs.length, rows: parse(rows) };
  };

  return (table, query) => {
    const needle = searchNeedle(query.text);
    return needle === '' ? unfiltered(table, query.appId, query) : filtered(table, query.appId, needle, query);
  };
}
