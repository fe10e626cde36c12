/** Parsing of Kusto literal tokens: strings, timespans, datetimes, numbers. */

const TIMESPAN_UNITS: readonly [RegExp, number][] = [
  [/^(d|day|days)$/, 86_400_000],
  [/^(h|hr|hrs|hour|hours)$/, 3_600_000],
  [/^(m|min|minute|minutes)$/, 60_000],
  [/^(s|sec|second|seconds)$/, 1000],
  [/^(ms|milli|millis|millisecond|milliseconds)$/, 1],
  [/^(microsecond|microseconds)$/, 0.001],
  [/^(tick|ticks)$/, 0.0001],
];

const CLOCK = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Parses a timespan text (`5m`, `1.5h`, `2d`, `00:05:00`, `1.02:03:04.5`) to milliseconds; undefined when malformed. */
export function parseTimespanText(text: string): number | undefined {
  const t = text.trim();
  const unit = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (unit) {
    const factor = TIMESPAN_UNITS.find(([re]) => re.test((unit[3] as string).toLowerCase()))?.[1];
    if (factor === undefined) return undefined;
    return (unit[1] ? -1 : 1) * Number(unit[2]) * factor;
  }
  const clock = CLOCK.exec(t);
  if (clock) {
    const [, neg, d, h, m, s, f] = clock;
    const millis = Number(d ?? 0) * 86_400_000 + Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s ?? 0) * 1000 + (f ? Number(`0.${f}`) * 1000 : 0);
    return neg ? -millis : millis;
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 86_400_000; // a bare number of days
  return undefined;
}

/** Parses a datetime text (ISO 8601, with or without zone, `2026-01-01 10:00`, RFC 1123); null when malformed. */
export function parseDatetimeText(text: string): number | null {
  const t = text.trim();
  if (t === '' || t === 'null') return null;
  let iso = t.replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T');
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(iso)) iso += iso.includes('T') ? 'Z' : 'T00:00:00Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Unwraps `name(inner)` (e.g. `datetime(2026-01-01)`, `time(1h)`, `long(null)`) to `inner`, or returns the text unchanged. */
export function unwrapLiteral(text: string): string {
  const m = /^[a-z_]+\s*\(([\s\S]*)\)$/i.exec(text.trim());
  return m ? (m[1] as string).trim() : text.trim();
}

/** Decodes one Kusto string literal token (`"..."`, `'...'`, `@"..."`, `h"..."`, triple-backtick). */
export function decodeStringToken(token: string): string {
  let t = token;
  if (/^[hH]/.test(t)) t = t.slice(1);
  if (t.startsWith('```') && t.endsWith('```')) return t.slice(3, -3);
  if (t.startsWith('@')) {
    const q = t.charAt(1);
    return t.slice(2, -1).split(q + q).join(q);
  }
  const q = t.charAt(0);
  const body = t.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c !== '\\' || i + 1 >= body.length) { out += c; continue; }
    const n = body.charAt(++i);
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'u': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      default: out += n === q || n === '\\' || n === '"' || n === "'" ? n : `\\${n}`;
    }
  }
  return out;
}
