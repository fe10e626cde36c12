import type { CellValue, Row } from '../storage/row';
import type { ResultTable, ResultType, Visualization } from './evaluate-kql';
import { timespanText } from './kql-values';

/** The `render` object of a query response (returned when the request says `Prefer: include-render=true`). */
type RenderHint = Readonly<Record<string, string | boolean | null>>;

/** The query API response body. */
export interface QueryResponse {
  readonly tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
  readonly render?: RenderHint;
}

/** Options of the response shape. */
export interface FormatOptions {
  /** Adds the `render` hint of a query that ends with `render` (the service does so for `Prefer: include-render=true`). */
  readonly includeRender?: boolean;
}

const RENDER_PROPERTIES = ['title', 'accumulate', 'isQuerySorted', 'kind', 'legend', 'series', 'yMin', 'yMax', 'xAxis', 'xColumn', 'xTitle', 'yAxis', 'yColumns', 'ySplit', 'yTitle', 'anomalyColumns'];

/** The `render` object for a visualization hint: every property the service lists, null when the query did not set it. */
function renderHint(v: Visualization): RenderHint {
  const hint: Record<string, string | boolean | null> = { visualization: v.visualization };
  for (const p of RENDER_PROPERTIES) {
    const set = Object.entries(v.properties).find(([k]) => k.toLowerCase() === p.toLowerCase())?.[1];
    hint[p] = set ?? (p === 'accumulate' || p === 'isQuerySorted' ? false : p === 'yMin' || p === 'yMax' ? 'NaN' : null);
  }
  return hint;
}

/** Formats milliseconds as a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]`. */
export const formatTimespan = timespanText;

function formatCell(v: CellValue, type: ResultType): unknown {
  if (v === null || v === undefined) return type === 'string' ? '' : null; // Kusto strings are never null
  switch (type) {
    case 'datetime': return typeof v === 'number' ? new Date(v).toISOString() : v;
    case 'timespan': return typeof v === 'number' ? formatTimespan(v) : v;
    case 'dynamic': return typeof v === 'string' ? v : JSON.stringify(v);
    case 'string': return typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'object' ? JSON.stringify(v) : v;
    default: return typeof v === 'object' ? JSON.stringify(v) : v;
  }
}

/** One result row as the query API returns it (values in column order). */
function formatRow(row: Row, columns: ResultTable['columns']): unknown[] {
  return columns.map((c) => formatCell(row[c.name] ?? null, c.type));
}

/** Shapes a result table as `{ tables: [{ name: "PrimaryResult", columns, rows }] }`. */
export function formatResult(table: ResultTable, options: FormatOptions = {}): QueryResponse {
  const body: QueryResponse = {
    tables: [{
      name: 'PrimaryResult',
      columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
      rows: table.rows.map((r) => formatRow(r, table.columns)),
    }],
  };
  return options.includeRender && table.visualization ? { ...body, render: renderHint(table.visualization) } : body;
}

/**
 * The JSON text of {@link formatResult}, in pieces of about `chunkChars` characters, built one row
 * at a time so that a large result never exists as one string.
 */
export function* formatResultChunks(table: ResultTable, chunkChars = 64 * 1024, options: FormatOptions = {}): Generator<string> {
  const columns = JSON.stringify(table.columns.map((c) => ({ name: c.name, type: c.type })));
  let chunk = `{"tables":[{"name":"PrimaryResult","columns":${columns},"rows":[`;
  for (let i = 0; i < table.rows.length; i++) {
    chunk += (i === 0 ? '' : ',') + JSON.stringify(formatRow(table.rows[i] as Row, table.columns));
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  const render = options.includeRender && table.visualization ? `,"render":${JSON.stringify(renderHint(table.visualization))}` : '';
  yield `${chunk}]}]${render}}`;
}
