/** Kusto scalar functions the emulator evaluates, keyed by name (datetimes and timespans in milliseconds). */
import type { CellValue } from '../storage/row';
import { compareCells, isEmpty, isNum, kustoEquals, parseDynamic, toText, truthy } from './kql-values';
import { parseDatetimeText, parseTimespanText } from './kql-literals';

/** What a scalar function sees: its evaluated arguments, their Kusto types, and the query's `now()`. */
interface ScalarCall {
  readonly args: readonly CellValue[];
  readonly types: readonly (string | undefined)[];
  readonly nowMillis: number;
  /** The Kusto result type the binder gave the call. */
  readonly resultType: string | undefined;
}

type ScalarFunction = (call: ScalarCall) => CellValue;

const DAY = 86_400_000;
const num = (v: CellValue): number | null => {
  if (isNum(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
};
const str = (v: CellValue, type?: string): string | null => (v === null ? null : toText(v, type));

function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  const y = Math.abs(x) * f;
  // Round half away from zero, as .NET's Math.Round(x, n, AwayFromZero) that Kusto uses.
  const r = Math.round(y + 1e-9 * (Number.isInteger(y) ? 0 : 1)) / f;
  return Math.sign(x) * r;
}

function startOf(ms: number, unit: 'day' | 'week' | 'month' | 'year', offset: number): number {
  const d = new Date(ms);
  switch (unit) {
    case 'day': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + offset);
    case 'week': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay() + 7 * offset);
    case 'month': return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
    case 'year': return Date.UTC(d.getUTCFullYear() + offset, 0, 1);
  }
}

const PARTS: Readonly<Record<string, (d: Date) => number>> = {
  year: (d) => d.getUTCFullYear(), quarter: (d) => Math.floor(d.getUTCMonth() / 3) + 1, month: (d) => d.getUTCMonth() + 1,
  day: (d) => d.getUTCDate(), dayofyear: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1,
  hour: (d) => d.getUTCHours(), minute: (d) => d.getUTCMinutes(), second: (d) => d.getUTCSeconds(), millisecond: (d) => d.getUTCMilliseconds(),
  weekofyear: (d) => isoWeek(d),
};

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  t.setUTCDate(t.getUTCDate() + 4 - (t.getUTCDay() || 7));
  return Math.ceil(((t.getTime() - Date.UTC(t.getUTCFullYear(), 0, 1)) / DAY + 1) / 7);
}

/** `datetime_diff(part, a, b)`: the number of `part` boundaries between b and a. */
function datetimeDiff(part: string, a: number, b: number): number | null {
  const x = new Date(a);
  const y = new Date(b);
  const p = part.toLowerCase();
  const months = (x.getUTCFullYear() - y.getUTCFullYear()) * 12 + x.getUTCMonth() - y.getUTCMonth();
  switch (p) {
    case 'year': return x.getUTCFullYear() - y.getUTCFullYear();
    case 'quarter': return Math.floor(x.getUTCMonth() / 3) - Math.floor(y.getUTCMonth() / 3) + 4 * (x.getUTCFullYear() - y.getUTCFullYear());
    case 'month': return months;
    case 'week': return Math.floor((startOf(a, 'week', 0) - startOf(b, 'week', 0)) / (7 * DAY));
    case 'day': return Math.floor((startOf(a, 'day', 0) - startOf(b, 'day', 0)) / DAY);
    case 'hour': return Math.floor(a / 3_600_000) - Math.floor(b / 3_600_000);
    case 'minute': return Math.floor(a / 60_000) - Math.floor(b / 60_000);
    case 'second': return Math.floor(a / 1000) - Math.floor(b / 1000);
    case 'millisecond': return Math.floor(a) - Math.floor(b);
    default: return null;
  }
}

function datetimeAdd(part: string, amount: number, ms: number): number | null {
  const d = new Date(ms);
  switch (part.toLowerCase()) {
    case 'year': d.setUTCFullYear(d.getUTCFullYear() + amount); return d.getTime();
    case 'quarter': d.setUTCMonth(d.getUTCMonth() + 3 * amount); return d.getTime();
    case 'month': d.setUTCMonth(d.getUTCMonth() + amount); return d.getTime();
    case 'week': return ms + amount * 7 * DAY;
    case 'day': return ms + amount * DAY;
    case 'hour': return ms + amount * 3_600_000;
    case 'minute': return ms + amount * 60_000;
    case 'second': return ms + amount * 1000;
    case 'millisecond': return ms + amount;
    default: return null;
  }
}

const FORMAT_TOKENS = /yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|fffffff|ffffff|fffff|ffff|fff|ff|f|tt/g;

/** `format_datetime(dt, 'yyyy-MM-dd [HH:mm:ss]')` with .NET-style specifiers. */
function formatDatetime(ms: number, format: string): string {
  const d = new Date(ms);
  const p = (n: number, w: number): string => String(n).padStart(w, '0');
  const frac = p(d.getUTCMilliseconds(), 3) + '0000';
  return format.replace(FORMAT_TOKENS, (t) => {
    switch (t) {
      case 'yyyy': return p(d.getUTCFullYear(), 4);
      case 'yy': return p(d.getUTCFullYear() % 100, 2);
      case 'MM': return p(d.getUTCMonth() + 1, 2);
      case 'M': return String(d.getUTCMonth() + 1);
      case 'dd': return p(d.getUTCDate(), 2);
      case 'd': return String(d.getUTCDate());
      case 'HH': return p(d.getUTCHours(), 2);
      case 'H': return String(d.getUTCHours());
      case 'hh': return p(d.getUTCHours() % 12 || 12, 2);
      case 'h': return String(d.getUTCHours() % 12 || 12);
      case 'mm': return p(d.getUTCMinutes(), 2);
      case 'm': return String(d.getUTCMinutes());
      case 'ss': return p(d.getUTCSeconds(), 2);
      case 's': return String(d.getUTCSeconds());
      case 'tt': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      default: return frac.slice(0, t.length);
    }
  });
}

function regexOf(pattern: CellValue, flags = ''): RegExp | null {
  if (typeof pattern !== 'string') return null;
  try {
    // Kusto uses RE2; inline flags like (?i) at the start are mapped to JS flags.
    const m = /^\(\?([imsU]+)\)/.exec(pattern);
    const extra = m ? (m[1] as string).replace('U', '').replace('m', 'm') : '';
    return new RegExp(m ? pattern.slice(m[0].length) : pattern, [...new Set((flags + extra).split(''))].join(''));
  } catch {
    return null;
  }
}

function convert(v: CellValue, type: string): CellValue {
  switch (type) {
    case 'string': return toText(v);
    case 'long': case 'int': { const n = num(typeof v === 'string' ? v.trim() : v); return n === null ? null : Math.trunc(n); }
    case 'real': case 'decimal': return num(v);
    case 'bool': return typeof v === 'boolean' ? v : typeof v === 'string' ? (/^(true|1)$/i.test(v) ? true : /^(false|0)$/i.test(v) ? false : null) : isNum(v) ? v !== 0 : null;
    case 'datetime': return typeof v === 'number' ? v : typeof v === 'string' ? parseDatetimeText(v) : null;
    case 'timespan': return typeof v === 'number' ? v : typeof v === 'string' ? (parseTimespanText(v) ?? null) : null;
    default: return v;
  }
}

function elementAt(v: CellValue, key: string | number): CellValue {
  const d = parseDynamic(v);
  if (d === null || typeof d !== 'object') return null;
  if (Array.isArray(d)) {
    if (typeof key !== 'number') return null;
    return (d[key < 0 ? d.length + key : key] as CellValue | undefined) ?? null;
  }
  return Object.hasOwn(d, String(key)) ? ((d[String(key)] as CellValue | undefined) ?? null) : null;
}

/** `customDimensions.x`, `d["x"]`, `a[0]`: member or element of a dynamic value (JSON text is parsed). */
export function dynamicMember(v: CellValue, key: CellValue): CellValue {
  if (typeof key === 'number' || typeof key === 'string') return elementAt(v, key);
  return null;
}

function parseUrl(u: string): CellValue {
  try {
    const url = new URL(u);
    const args: Record<string, string> = {};
    url.searchParams.forEach((value, k) => (args[k] = value));
    return {
      Scheme: url.protocol.replace(':', ''), Host: url.hostname, Port: url.port, Path: url.pathname, Username: url.username, Password: url.password,
      'Query Parameters': args, Fragment: url.hash.replace('#', ''),
    };
  } catch {
    return {};
  }
}

const a0 = (c: ScalarCall): CellValue => c.args[0] ?? null;
const a1 = (c: ScalarCall): CellValue => c.args[1] ?? null;
const a2 = (c: ScalarCall): CellValue => c.args[2] ?? null;
const dt = (c: ScalarCall, i = 0): number | null => { const v = c.args[i] ?? null; return isNum(v) ? v : typeof v === 'string' ? parseDatetimeText(v) : null; };
const unaryNum = (f: (x: number) => number) => (c: ScalarCall): CellValue => { const x = num(a0(c)); if (x === null) return null; const y = f(x); return Number.isFinite(y) ? y : null; };
const dtFn = (f: (ms: number, c: ScalarCall) => CellValue) => (c: ScalarCall): CellValue => { const ms = dt(c); return ms === null ? null : f(ms, c); };
const strFn = (f: (s: string, c: ScalarCall) => CellValue) => (c: ScalarCall): CellValue => { const s = str(a0(c), c.types[0]); return s === null ? null : f(s, c); };

function binValue(c: ScalarCall): CellValue {
  const v = a0(c);
  const size = num(a1(c));
  if (!isNum(v) || size === null || size <= 0) return null;
  return Math.floor(v / size) * size;
}

function caseOf(c: ScalarCall): CellValue {
  const args = c.args;
  for (let i = 0; i + 1 < args.length; i += 2) if (truthy(args[i] ?? null)) return args[i + 1] ?? null;
  return args.length % 2 === 1 ? (args[args.length - 1] ?? null) : null;
}

function extract(c: ScalarCall): CellValue {
  const re = regexOf(a0(c));
  const group = num(a1(c)) ?? 0;
  const text = str(a2(c), c.types[2]);
  if (!re || text === null) return null;
  const m = re.exec(text);
  const value = m ? (m[group] ?? null) : null;
  if (value === null) return c.resultType === 'string' ? '' : null;
  return c.resultType && c.resultType !== 'string' ? convert(value, c.resultType) : value;
}

function extractAll(c: ScalarCall): CellValue {
  const re = regexOf(a0(c), 'g');
  const text = str(c.args[c.args.length - 1] ?? null, c.types[c.types.length - 1]);
  if (!re || text === null) return null;
  const out: unknown[] = [];
  for (const m of text.matchAll(re)) out.push(m.length > 2 ? m.slice(1) : (m[1] ?? m[0]));
  return out.length ? out : null;
}

function substring(c: ScalarCall): CellValue {
  const s = str(a0(c), c.types[0]);
  const start = num(a1(c));
  if (s === null || start === null) return null;
  const len = num(a2(c));
  const from = Math.max(0, start);
  return len === null ? s.slice(from) : s.slice(from, from + Math.max(0, len));
}

function split(c: ScalarCall): CellValue {
  const s = str(a0(c), c.types[0]);
  const d = str(a1(c));
  if (s === null || d === null) return null;
  const parts = s.split(d);
  if (c.args.length > 2) { const i = num(a2(c)); return i === null || i < 0 || i >= parts.length ? [] : [parts[i]]; }
  return parts;
}

function trimWith(s: string, pattern: CellValue, where: 'both' | 'start' | 'end'): string {
  if (typeof pattern !== 'string') return s;
  const start = where !== 'end' ? new RegExp(`^(?:${pattern})+`) : null;
  const end = where !== 'start' ? new RegExp(`(?:${pattern})+$`) : null;
  let out = s;
  if (start) out = out.replace(start, '');
  if (end) out = out.replace(end, '');
  return out;
}

function packBag(c: ScalarCall): CellValue {
  const bag: Record<string, unknown> = {};
  for (let i = 0; i + 1 < c.args.length; i += 2) bag[toText(c.args[i] ?? null)] = c.args[i + 1] ?? null;
  return bag;
}

const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  // time
  ago: (c) => { const t = num(a0(c)); return t === null ? null : c.nowMillis - t; },
  now: (c) => c.nowMillis + (num(a0(c)) ?? 0),
  datetime: (c) => dt(c),
  todatetime: (c) => dt(c),
  totimespan: (c) => convert(a0(c), 'timespan'),
  totime: (c) => convert(a0(c), 'timespan'),
  time: (c) => convert(a0(c), 'timespan'),
  bin: binValue,
  floor: binValue,
  bin_at: (c) => { const v = a0(c); const size = num(a1(c)); const at = num(a2(c)); if (!isNum(v) || size === null || size <= 0 || at === null) return null; return at + Math.floor((v - at) / size) * size; },
  startofday: dtFn((ms, c) => startOf(ms, 'day', num(a1(c)) ?? 0)),
  startofweek: dtFn((ms, c) => startOf(ms, 'week', num(a1(c)) ?? 0)),
  startofmonth: dtFn((ms, c) => startOf(ms, 'month', num(a1(c)) ?? 0)),
  startofyear: dtFn((ms, c) => startOf(ms, 'year', num(a1(c)) ?? 0)),
  endofday: dtFn((ms, c) => startOf(ms, 'day', (num(a1(c)) ?? 0) + 1) - 0.0001),
  endofweek: dtFn((ms, c) => startOf(ms, 'week', (num(a1(c)) ?? 0) + 1) - 0.0001),
  endofmonth: dtFn((ms, c) => startOf(ms, 'month', (num(a1(c)) ?? 0) + 1) - 0.0001),
  endofyear: dtFn((ms, c) => startOf(ms, 'year', (num(a1(c)) ?? 0) + 1) - 0.0001),
  dayofweek: dtFn((ms) => new Date(ms).getUTCDay() * DAY),
  dayofmonth: dtFn((ms) => new Date(ms).getUTCDate()),
  dayofyear: dtFn((ms) => PARTS['dayofyear']?.(new Date(ms)) ?? null),
  hourofday: dtFn((ms) => new Date(ms).getUTCHours()),
  getmonth: dtFn((ms) => new Date(ms).getUTCMonth() + 1),
  monthofyear: dtFn((ms) => new Date(ms).getUTCMonth() + 1),
  getyear: dtFn((ms) => new Date(ms).getUTCFullYear()),
  week_of_year: dtFn((ms) => isoWeek(new Date(ms))),
  datetime_part: (c) => { const ms = dt(c, 1); const f = PARTS[toText(a0(c)).toLowerCase()]; return ms === null || !f ? null : f(new Date(ms)); },
  datetime_diff: (c) => { const a = dt(c, 1); const b = dt(c, 2); return a === null || b === null ? null : datetimeDiff(toText(a0(c)), a, b); },
  datetime_add: (c) => { const n = num(a1(c)); const ms = dt(c, 2); return n === null || ms === null ? null : datetimeAdd(toText(a0(c)), n, ms); },
  format_datetime: (c) => { const ms = dt(c); return ms === null ? '' : formatDatetime(ms, toText(a1(c))); },
  format_timespan: (c) => { const t = num(a0(c)); return t === null ? '' : toText(t, 'timespan'); },
  unixtime_milliseconds_todatetime: (c) => num(a0(c)),
  unixtime_seconds_todatetime: (c) => { const s = num(a0(c)); return s === null ? null : s * 1000; },
  make_datetime: (c) => { const [y, mo, d, h, mi, s] = c.args.map((v) => num(v) ?? 0); return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, 0) + (s ?? 0) * 1000; },
  // conversion
  tostring: (c) => (a0(c) === null ? '' : toText(a0(c), c.types[0])),
  tolong: (c) => convert(a0(c), 'long'),
  toint: (c) => convert(a0(c), 'long'),
  todouble: (c) => convert(a0(c), 'real'),
  toreal: (c) => convert(a0(c), 'real'),
  todecimal: (c) => convert(a0(c), 'real'),
  tobool: (c) => convert(a0(c), 'bool'),
  toboolean: (c) => convert(a0(c), 'bool'),
  toguid: (c) => (typeof a0(c) === 'string' && /^[0-9a-f-]{36}$/i.test(a0(c) as string) ? (a0(c) as string).toLowerCase() : null),
  todynamic: (c) => parseDynamic(a0(c)),
  parse_json: (c) => parseDynamic(a0(c)),
  toobject: (c) => parseDynamic(a0(c)),
  tojson: (c) => JSON.stringify(a0(c)),
  gettype: (c) => c.types[0] ?? 'string',
  // logic
  iff: (c) => (truthy(a0(c)) ? a1(c) : a2(c)),
  iif: (c) => (truthy(a0(c)) ? a1(c) : a2(c)),
  case: caseOf,
  coalesce: (c) => c.args.find((v) => !isEmpty(v) && v !== null) ?? (c.resultType === 'string' ? '' : null),
  not: (c) => (a0(c) === null ? null : !truthy(a0(c))),
  isempty: (c) => isEmpty(a0(c)),
  isnotempty: (c) => !isEmpty(a0(c)),
  notempty: (c) => !isEmpty(a0(c)),
  isnull: (c) => a0(c) === null,
  isnotnull: (c) => a0(c) !== null,
  notnull: (c) => a0(c) !== null,
  isnan: (c) => Number.isNaN(a0(c)),
  // math
  round: (c) => { const x = num(a0(c)); return x === null ? null : roundTo(x, num(a1(c)) ?? 0); },
  abs: unaryNum(Math.abs),
  ceiling: unaryNum(Math.ceil),
  sqrt: unaryNum(Math.sqrt),
  exp: unaryNum(Math.exp),
  log: unaryNum(Math.log),
  log10: unaryNum(Math.log10),
  log2: unaryNum(Math.log2),
  sign: unaryNum(Math.sign),
  pow: (c) => { const x = num(a0(c)); const y = num(a1(c)); return x === null || y === null ? null : x ** y; },
  min_of: (c) => c.args.filter((v) => v !== null).reduce<CellValue>((m, v) => (m === null || compareCells(v, m) < 0 ? v : m), null),
  max_of: (c) => c.args.filter((v) => v !== null).reduce<CellValue>((m, v) => (m === null || compareCells(v, m) > 0 ? v : m), null),
  // strings
  strcat: (c) => c.args.map((v, i) => toText(v, c.types[i])).join(''),
  strcat_delim: (c) => c.args.slice(1).map((v, i) => toText(v, c.types[i + 1])).join(toText(a0(c))),
  strlen: strFn((s) => [...s].length),
  tolower: strFn((s) => s.toLowerCase()),
  toupper: strFn((s) => s.toUpperCase()),
  substring,
  split,
  trim: (c) => { const s = str(a1(c), c.types[1]); return s === null ? null : trimWith(s, a0(c), 'both'); },
  trim_start: (c) => { const s = str(a1(c), c.types[1]); return s === null ? null : trimWith(s, a0(c), 'start'); },
  trim_end: (c) => { const s = str(a1(c), c.types[1]); return s === null ? null : trimWith(s, a0(c), 'end'); },
  replace_string: (c) => { const s = str(a0(c), c.types[0]); return s === null ? null : s.split(toText(a1(c))).join(toText(a2(c))); },
  replace_regex: (c) => { const s = str(a0(c), c.types[0]); const re = regexOf(a1(c), 'g'); return s === null || !re ? null : s.replace(re, toText(a2(c)).replace(/\\(\d)/g, '$$$1')); },
  replace: (c) => { const s = str(a2(c), c.types[2]); const re = regexOf(a0(c), 'g'); return s === null || !re ? null : s.replace(re, toText(a1(c)).replace(/\\(\d)/g, '$$$1')); },
  indexof: (c) => { const s = str(a0(c), c.types[0]); return s === null ? null : s.indexOf(toText(a1(c)), num(a2(c)) ?? 0); },
  countof: (c) => { const s = str(a0(c), c.types[0]); const n = toText(a1(c)); if (s === null || n === '') return 0; return toText(a2(c)) === 'regex' ? [...s.matchAll(new RegExp(n, 'g'))].length : s.split(n).length - 1; },
  reverse: strFn((s) => [...s].reverse().join('')),
  strrep: (c) => { const s = str(a0(c), c.types[0]); const n = num(a1(c)) ?? 0; return s === null ? null : Array(Math.max(0, n)).fill(s).join(toText(a2(c))); },
  extract,
  extract_all: extractAll,
  parse_url: strFn((s) => parseUrl(s)),
  url_decode: strFn((s) => { try { return decodeURIComponent(s); } catch { return null; } }),
  url_encode: strFn((s) => encodeURIComponent(s)),
  base64_encode_tostring: strFn((s) => Buffer.from(s, 'utf8').toString('base64')),
  base64_decode_tostring: strFn((s) => Buffer.from(s, 'base64').toString('utf8')),
  hash: (c) => { let h = 0; for (const ch of toText(a0(c))) h = (h * 31 + (ch.codePointAt(0) ?? 0)) | 0; return Math.abs(h); },
  // dynamic
  array_length: (c) => { const d = parseDynamic(a0(c)); return Array.isArray(d) ? d.length : null; },
  array_concat: (c) => c.args.flatMap((v) => { const d = parseDynamic(v); return Array.isArray(d) ? d : []; }),
  array_index_of: (c) => { const d = parseDynamic(a0(c)); return Array.isArray(d) ? d.findIndex((x) => kustoEquals(x as CellValue, a1(c)) === true) : null; },
  set_has_element: (c) => { const d = parseDynamic(a0(c)); return Array.isArray(d) ? d.some((x) => kustoEquals(x as CellValue, a1(c)) === true) : null; },
  array_slice: (c) => { const d = parseDynamic(a0(c)); const s = num(a1(c)) ?? 0; const e = num(a2(c)) ?? -1; return Array.isArray(d) ? d.slice(s < 0 ? d.length + s : s, (e < 0 ? d.length + e : e) + 1) : null; },
  array_sort_asc: (c) => { const d = parseDynamic(a0(c)); return Array.isArray(d) ? [...d].sort((x, y) => compareCells(x as CellValue, y as CellValue)) : null; },
  array_sort_desc: (c) => { const d = parseDynamic(a0(c)); return Array.isArray(d) ? [...d].sort((x, y) => compareCells(y as CellValue, x as CellValue)) : null; },
  bag_keys: (c) => { const d = parseDynamic(a0(c)); return d !== null && typeof d === 'object' && !Array.isArray(d) ? Object.keys(d) : null; },
  bag_has_key: (c) => { const d = parseDynamic(a0(c)); return d !== null && typeof d === 'object' && !Array.isArray(d) ? Object.hasOwn(d, toText(a1(c))) : null; },
  pack: packBag,
  bag_pack: packBag,
  pack_array: (c) => [...c.args],
};

/** The scalar function `name`, or undefined when the emulator does not evaluate it. */
export function scalarFunction(name: string): ScalarFunction | undefined {
  return Object.hasOwn(SCALAR_FUNCTIONS, name) ? SCALAR_FUNCTIONS[name] : undefined;
}

/** Converts a value to a Kusto scalar type (`to typeof(long)`, `parse ... x:long`). */
export function convertTo(v: CellValue, type: string): CellValue {
  return convert(v, type);
}

/** Kusto `matches regex` and friends: compiles a pattern, null when it is not a valid expression. */
export function compileRegex(pattern: CellValue): RegExp | null {
  return regexOf(pattern);
}
