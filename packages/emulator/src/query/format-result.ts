import type { CellValue, Row } from '../storage/row';
import type { ResultTable, ResultType } from './evaluate-kql';

/** The query API response body. */
export interface QueryResponse {
  readonly tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats milliseconds as a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(millis: number): string {
  const sign = millis < 0 ? '-' : '';
  const ticks = Math.round(Math.abs(millis) * 10_000);
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const frac = ticks % 10_000_000;
  const days = Math.floor(totalSeconds / 86400);
  const h = Math.floor((totalSeconds % 86400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${sign}${days ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${pad(frac, 7)}` : ''}`;
}

function formatCell(v: CellValue, type: ResultType): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'datetime': return typeof v === 'number' ? new Date(v).toISOString() : v;
    case 'timespan': return typeof v === 'number' ? formatTimespan(v) : v;
    case 'dynamic': return typeof v === 'string' ? v : JSON.stringify(v);
    default: return typeof v === 'object' ? JSON.stringify(v) : v;
  }
}

/** One result row as the query API returns it (values in column order). */
export function formatRow(row: Row, columns: ResultTable['columns']): unknown[] {
  return columns.map((c) => formatCell(row[c.name] ?? null, c.type));
}

/** Shapes a result table as `{ tables: [{ name: "PrimaryResult", columns, rows }] }`. */
export function formatResult(table: ResultTable): QueryResponse {
  return {
    tables: [{
      name: 'PrimaryResult',
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: table.rows.map((r) => formatRow(r, table.columns)),
    }],
  };
}

/**
 * The JSON text of {@link formatResult}, in pieces of about `chunkChars` characters, built one row
 * at a time so that a large result never exists as one string.
 */
export function* formatResultChunks(table: ResultTable, chunkChars = 64 * 1024): Generator<string> {
  const columns = JSON.stringify(table.columns.map((c) => ({ name: c.name, type: c.type })));
  let chunk = `{"tables":[{"name":"PrimaryResult","columns":${columns},"rows":[`;
  for (let i = 0; i < table.rows.length; i++) {
    chunk += (i === 0 ? '' : ',') + JSON.stringify(formatRow(table.rows[i] as Row, table.columns));
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}]}]}`;
}
