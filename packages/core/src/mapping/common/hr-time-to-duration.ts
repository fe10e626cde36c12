import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_TICK = 100;
const NANOS_PER_SECOND = 1_000_000_000;
const SECONDS_PER_MINUTE = 60;
const SECONDS_PER_HOUR = 3_600;
const SECONDS_PER_DAY = 86_400;
const FRACTION_DIGITS = 7;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * HrTime duration -> Application Insights TimeSpan `[d.]hh:mm:ss.fffffff` (100 ns ticks, integer
 * math, truncated). Negative durations become `00:00:00.0000000`.
 */
export function hrTimeToDuration(duration: HrTime): string {
  let [seconds, nanos] = duration;
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
  const ticks = String(Math.floor(nanos / NANOS_PER_TICK)).padStart(FRACTION_DIGITS, '0');
  const prefix = days > 0 ? `${days}.` : '';
  return `${prefix}${pad2(hours)}:${pad2(minutes)}:${pad2(secs)}.${ticks}`;
}
