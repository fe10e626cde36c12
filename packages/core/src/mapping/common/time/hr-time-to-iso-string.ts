import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_MILLI = 1_000_000;
const MILLIS_PER_SECOND = 1_000;
/** `10000-01-01T00:00:00.000Z` in Unix millis: below it (and from 1970) ISO strings have the fixed `YYYY-...` shape. */
const FIXED_SHAPE_END_MILLIS = 253_402_300_800_000;
/** Length of `YYYY-MM-DDTHH:MM:SS.`, the part shared by every millisecond of one second. */
const SECOND_PREFIX_CHARS = 20;

/** One-entry memo: items of one batch mostly start within the same few seconds. */
let memoSecond = -1;
let memoPrefix = '';

/**
 * HrTime `[seconds, nanos]` -> ISO-8601 UTC with exact (truncated, never rounded) milliseconds.
 * Integer math only: `[1700000000, 999999999]` -> `2023-11-14T22:13:20.999Z`. The
 * `YYYY-MM-DDTHH:MM:SS.` part of the last second seen is remembered, so consecutive items of one
 * second only format their milliseconds; times before 1970 or after 9999 go through `Date` each time.
 */
export function hrTimeToIsoString(time: HrTime): string {
  const millis = time[0] * MILLIS_PER_SECOND + Math.floor(time[1] / NANOS_PER_MILLI);
  if (!Number.isInteger(millis) || millis < 0 || millis >= FIXED_SHAPE_END_MILLIS) return new Date(millis).toISOString();
  const second = Math.floor(millis / MILLIS_PER_SECOND);
  if (second !== memoSecond) {
    memoPrefix = new Date(second * MILLIS_PER_SECOND).toISOString().slice(0, SECOND_PREFIX_CHARS);
    memoSecond = second;
  }
  const ms = millis - second * MILLIS_PER_SECOND;
  return `${memoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
