import type { HrTime } from '@opentelemetry/api';

const NANOS_PER_MILLI = 1_000_000;
const MILLIS_PER_SECOND = 1_000;

/**
 * HrTime `[seconds, nanos]` -> ISO-8601 UTC with exact (truncated, never rounded) milliseconds.
 * Integer math only: `[1700000000, 999999999]` -> `2023-11-14T22:13:20.999Z`.
 */
export function hrTimeToIsoString(time: HrTime): string {
  const [seconds, nanos] = time;
  const millis = seconds * MILLIS_PER_SECOND + Math.floor(nanos / NANOS_PER_MILLI);
  return new Date(millis).toISOString();
}
