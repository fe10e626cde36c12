import { hrTimeToDuration } from './hr-time-to-duration';

const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;
const NUMERIC = /^\d+(?:\.\d+)?$/;

/**
 * A duration given by a user or the legacy shim -> the wire form `[d.]hh:mm:ss.fffffff`: a
 * TimeSpan string (`00:00:00.250`, `1.02:03:04`), or milliseconds (a number or numeric string).
 * Undefined for anything else (negative, NaN, other text).
 */
export function parseTimeSpan(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? millisToDuration(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (NUMERIC.test(text)) return millisToDuration(Number(text));
  const match = TIME_SPAN.exec(text);
  if (!match) return undefined;
  const [, days, hours, minutes, seconds, fraction] = match;
  const totalSeconds = Number(days ?? 0) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
  return hrTimeToDuration([totalSeconds, Number((fraction ?? '').padEnd(9, '0'))]);
}

function millisToDuration(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return hrTimeToDuration([seconds, Math.round((millis - seconds * 1000) * 1e6)]);
}
