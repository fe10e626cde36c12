import type { QueryTable, QueryValue } from './query-types';

/** One table row as an object keyed by column name. */
export type QueryRow = Record<string, QueryValue>;

/**
 * Turns a result table into one object per row, keyed by column name. Values are as the API sent
 * them, except `dynamic` columns holding JSON text, which are parsed (the API sends them as strings).
 *
 * @param table - A table from {@link QueryResult.tables}.
 * @returns The rows as objects, in order.
 */
export function tableToObjects(table: QueryTable): QueryRow[] {
  return table.rows.map((row) => {
    const out: QueryRow = {};
    table.columns.forEach((column, i) => {
      const value = row[i] ?? null;
      out[column.name] = column.type === 'dynamic' ? parseDynamic(value) : value;
    });
    return out;
  });
}

function parseDynamic(value: QueryValue): QueryValue {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    return JSON.parse(text) as QueryValue;
  } catch {
    return value; // not JSON after all: keep the text
  }
}
