/**
 * `[d.]hh:mm:ss[.fffffff]` as the spec describes durations ("DD.HH:MM:SS.MMMMMM. Must be less than
 * 1000 days"), read the way .NET's TimeSpan reads them: one or two hour digits, at most seven
 * fraction digits (100 ns ticks).
 */
const DURATION = /^(?:(\d{1,3})\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d{1,7})?$/;

/** Most days a duration may hold (the spec: "Must be less than 1000 days"). */
const MAX_DURATION_DAYS = 999;

/** TimeSpan's general long form 'G', `d:hh:mm:ss.fffffff`, which some fields' descriptions name. */
const TIMESPAN_G = /^(\d{1,3}):(\d{1,2}):(\d{2}):(\d{2})(?:\.\d{1,7})?$/;

/**
 * Whether a value is a duration string the service accepts; with `allowGeneralLong`, TimeSpan's
 * 'G' form `d:hh:mm:ss.fffffff` too (the fields whose description names that form).
 */
export function isDurationString(value: string, allowGeneralLong = false): boolean {
  const m = DURATION.exec(value) ?? (allowGeneralLong ? TIMESPAN_G.exec(value) : null);
  if (m === null) return false;
  const [, days, hours, minutes, seconds] = m;
  return Number(days ?? 0) <= MAX_DURATION_DAYS && Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60;
}
