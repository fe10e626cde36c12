/**
 * Value semantics of Kusto over the emulator's cells: datetimes and timespans are milliseconds,
 * dynamics are plain JSON values, null is "no value" (comparisons with it are false).
 */
import type { CellValue } from '../storage/row';

/** True for a number cell. */
export const isNum = (v: CellValue): v is number => typeof v === 'number' && !Number.isNaN(v);

/** True for null and the empty string (Kusto's `isempty`). */
export const isEmpty = (v: CellValue): boolean => v === null || v === '';

/** Kusto truthiness: only `true` passes a filter (null and false do not). */
export const truthy = (v: CellValue): boolean => v === true;

/** `datetime` cell as Kusto prints it in `tostring()`: ISO 8601 with 7 fractional digits. */
function datetimeText(millis: number): string {
  const iso = new Date(millis).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}0000Z`;
}

/** Formats milliseconds as a Kusto timespan `[-][d.]hh:mm:ss[.fffffff]`. */
export function timespanText(millis: number): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
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

/** A cell as text, the way `tostring()` renders it given the cell's Kusto type. */
export function toText(v: CellValue, type?: string): string {
  if (v === null) return '';
  if (typeof v === 'number' && type === 'datetime') return datetimeText(v);
  if (typeof v === 'number' && type === 'timespan') return timespanText(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Parses a JSON text to a dynamic value; a non-JSON text stays a string. */
export function parseDynamic(v: CellValue): CellValue {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as CellValue;
  } catch {
    return v;
  }
}

/** A string compared with a number: `"True"`/`"False"` (the `success` column) read as 1/0. */
function stringAsNumber(s: string): number {
  const lower = s.toLowerCase();
  return lower === 'true' ? 1 : lower === 'false' ? 0 : Number(s);
}

/** Kusto `==` (case-sensitive for strings; bool against string compares the words). */
export function kustoEquals(a: CellValue, b: CellValue): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'number' && typeof b === 'string') return a === stringAsNumber(b);
  if (typeof b === 'number' && typeof a === 'string') return b === stringAsNumber(a);
  return a === b;
}

/** Orders two cells: nulls first, numbers numerically, booleans false < true, everything else as text (ordinal). */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = toText(a);
  const y = toText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const TERM_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Kusto `has`: `needle` occurs in `haystack` as whole terms (runs of letters, digits and `_`),
 * optionally only as a term prefix or suffix.
 */
export function hasTerm(haystack: string, needle: string, mode: 'whole' | 'prefix' | 'suffix', caseSensitive: boolean): boolean {
  if (needle === '') return true;
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  const termStart = !TERM_CHAR.test(n.charAt(0));
  const termEnd = !TERM_CHAR.test(n.charAt(n.length - 1));
  for (let i = h.indexOf(n); i >= 0; i = h.indexOf(n, i + 1)) {
    const before = i === 0 || termStart || !TERM_CHAR.test(h.charAt(i - 1));
    const after = i + n.length === h.length || termEnd || !TERM_CHAR.test(h.charAt(i + n.length));
    if (mode === 'whole' && before && after) return true;
    if (mode === 'prefix' && before) return true;
    if (mode === 'suffix' && after) return true;
  }
  return false;
}

/** A stable key for grouping cells (type-aware, so 1 and "1" differ). */
export function groupKey(values: readonly CellValue[]): string {
  return JSON.stringify(values.map((v) => (v === null ? null : [typeof v, v])));
}
