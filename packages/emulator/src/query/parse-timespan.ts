import { KqlError } from '../errors';

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Parses an ISO 8601 duration (`P1D`, `PT1H30M`) to milliseconds; undefined when malformed. */
function parseIsoDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (Number(w ?? 0) * 7 * 86400 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000;
}

/** A time range, epoch ms: [from, to). */
export interface TimeRange {
  readonly fromTimestamp: number;
  readonly toTimestamp: number;
}

/**
 * Parses the query API's `timespan` (ISO 8601: a duration ending now, `start/end`, `start/duration`
 * or `duration/end`). Throws {@link KqlError} when malformed.
 */
export function parseTimespan(text: string, nowMillis: number): TimeRange {
  const bad = (): KqlError => new KqlError(`The timespan '${text}' is not a valid ISO 8601 duration or interval`, { code: 'InvalidTimespan' });
  const parts = text.split('/');
  if (parts.length === 1) {
    const d = parseIsoDuration(text);
    if (d === undefined) throw bad();
    return { fromTimestamp: nowMillis - d, toTimestamp: nowMillis + 1 };
  }
  if (parts.length !== 2) throw bad();
  const [a, b] = parts as [string, string];
  const da = parseIsoDuration(a);
  const db = parseIsoDuration(b);
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return { fromTimestamp: ta, toTimestamp: tb };
  if (!Number.isNaN(ta) && db !== undefined) return { fromTimestamp: ta, toTimestamp: ta + db };
  if (da !== undefined && !Number.isNaN(tb)) return { fromTimestamp: tb - da, toTimestamp: tb };
  throw bad();
}
