import type { Row } from './row';

/**
 * The text a page's `text` filter is matched against: the row as stored JSON (`JSON.stringify`),
 * lower-cased as JavaScript lower-cases it. Both stores match with these two functions, so a filter
 * finds the same rows in memory and in SQLite (where `rowJson` is the stored column).
 */
export function rowSearchText(rowJson: string): string {
  return rowJson.toLowerCase();
}

/** The needle of a `text` filter: trimmed and lower-cased; `''` matches every row. */
export function searchNeedle(text: string | undefined): string {
  return (text ?? '').trim().toLowerCase();
}

/** The stored JSON of a row, as the SQLite store writes it. */
export function rowJson(row: Row): string {
  return JSON.stringify(row);
}
