import { KqlError } from '../errors';

/** A KQL token. */
export type KqlToken =
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly pos: number }
  | { readonly kind: 'timespan'; readonly millis: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'datetime'; readonly millis: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'op'; readonly text: string; readonly pos: number }
  | { readonly kind: 'eof'; readonly text: ''; readonly pos: number };

const TIMESPAN_UNITS: Readonly<Record<string, number>> = {
  d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1, microsecond: 0.001, tick: 0.0001,
  day: 86_400_000, days: 86_400_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  min: 60_000, minute: 60_000, minutes: 60_000, sec: 1000, second: 1000, seconds: 1000,
  milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
};
const OPERATORS = ['==', '!=', '<=', '>=', '=~', '!~', '|', ',', '(', ')', '[', ']', '<', '>', '=', '+', '-', '*', '/', '%', '.', ';'];

/** Parses the inside of `datetime(...)`; throws KqlError when it is not a date. */
export function parseDatetimeLiteral(text: string, pos: number): number {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : `${t.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new KqlError(`Invalid datetime literal '${t}' at position ${pos}`, { code: 'SYN0002', position: String(pos) });
  return ms;
}

/** Splits KQL text into tokens. */
export function tokenizeKql(text: string): KqlToken[] {
  const tokens: KqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; continue; }
    const start = i;
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const n = text[i + 1] as string;
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else value += text[i++];
      }
      if (i >= text.length) throw new KqlError(`Unterminated string literal at position ${start}`, { code: 'SYN0002', position: String(start) });
      i++;
      tokens.push({ kind: 'string', value, text: text.slice(start, i), pos: start });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]+)?/.exec(text.slice(i)) as RegExpExecArray;
      const [all, digits, unit] = m as unknown as [string, string, string | undefined];
      i += all.length;
      if (unit !== undefined) {
        const factor = TIMESPAN_UNITS[unit.toLowerCase()];
        if (factor === undefined) throw new KqlError(`Unknown timespan unit '${unit}' in '${all}' at position ${start}`, { code: 'SYN0002', position: String(start) });
        tokens.push({ kind: 'timespan', millis: Number(digits) * factor, text: all, pos: start });
      } else tokens.push({ kind: 'number', value: Number(digits), text: all, pos: start });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i)) as RegExpExecArray;
      const word = m[0];
      i += word.length;
      const rest = /^\s*\(/.exec(text.slice(i));
      if ((word === 'datetime' || word === 'todatetime') && rest) {
        const close = text.indexOf(')', i);
        if (close < 0) throw new KqlError(`Unterminated datetime( at position ${start}`, { code: 'SYN0002', position: String(start) });
        const inner = text.slice(i + rest[0].length, close).trim();
        if (!/^["']/.test(inner)) {
          tokens.push({ kind: 'datetime', millis: parseDatetimeLiteral(inner, start), text: text.slice(start, close + 1), pos: start });
          i = close + 1;
          continue;
        }
      }
      tokens.push({ kind: 'ident', text: word, pos: start });
      continue;
    }
    if (c === '!' && /^!(contains|startswith|has)\b/i.test(text.slice(i))) {
      const m = /^!(contains|startswith|has)/i.exec(text.slice(i)) as RegExpExecArray;
      i += m[0].length;
      tokens.push({ kind: 'op', text: m[0].toLowerCase(), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new KqlError(`Unexpected character '${c}' at position ${i}`, { code: 'SYN0002', position: String(i) });
    i += op.length;
    tokens.push({ kind: 'op', text: op, pos: start });
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}
