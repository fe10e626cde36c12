import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_TICK = 100;
const NANOS_PER_SECOND = 1_000_000_000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3_600;
const SECONDS_PER_DAY = 86_400;
const FRACTION_DIGITS = 7;

const TICKS_PADDING = '0'.repeat(FRACTION_DIGITS);

/** `00`..`99`: hours, minutes and seconds without a padStart call each. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const pad2 = (n: number): string => TWO_DIGITS[n] ?? String(n).padStart(2, '0');

/**
 * HrTime duration -> Application Insights TimeSpan `[d.]hh:mm:ss.fffffff` (100 ns ticks, integer
 * math, truncated). Negative durations become `00:00:00.0000000`.
 */
export function hrTimeToDuration(duration: HrTime): string {
  let seconds = duration[0];
  let nanos = duration[1];
  seconds += Math.floor(nanos / NANOS_PER_SECOND);
  nanos = nanos % NANOS_PER_SECOND;
  if (nanos < 0) {
    nanos += NANOS_PER_SECOND;
    seconds -= 1;
  }
  if (seconds < 0) return '00:00:00.0000000';
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const hours = Math.floor((seconds % SECONDS_PER_DAY) / SECONDS_PER_HOUR);
  const minutes = Math.floor((seconds % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
  const secs = seconds % SECONDS_PER_MINUTE;
  const tickDigits = String(Math.floor(nanos / NANOS_PER_TICK));
  const ticks = tickDigits.length < FRACTION_DIGITS ? TICKS_PADDING.slice(tickDigits.length) + tickDigits : tickDigits;
  const prefix = days > 0 ? `${days}.` : '';
  return `${prefix}${pad2(hours)}:${pad2(minutes)}:${pad2(secs)}.${ticks}`;
}
