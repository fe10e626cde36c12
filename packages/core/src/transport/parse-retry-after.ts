/** Response headers as undici exposes them (lower-case names). */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Header names checked for a server retry hint, in order: millisecond forms first. */
const MILLIS_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms'] as const;
const SECONDS_PATTERN = /^\d+(\.\d+)?$/;
/** An HTTP date names its weekday or month; this keeps `Date.parse` from reading `-5` as a year. */
const HTTP_DATE_PATTERN = /[a-z]{3}/i;

/** The first value of a header, trimmed, or `undefined`. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The server's retry hint in milliseconds, from `retry-after-ms`, `x-ms-retry-after-ms`, then
 * `Retry-After` (delta-seconds or an HTTP date). `undefined` when absent or unreadable; a date in
 * the past gives 0.
 */
export function parseRetryAfter(headers: ResponseHeaders, nowMillis: number = Date.now()): number | undefined {
  for (const name of MILLIS_HEADERS) {
    const value = headerValue(headers, name);
    if (value !== undefined && SECONDS_PATTERN.test(value)) return Math.round(Number(value));
  }
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter === undefined) return undefined;
  if (SECONDS_PATTERN.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  if (!HTTP_DATE_PATTERN.test(retryAfter)) return undefined;
  const dateMillis = Date.parse(retryAfter);
  if (Number.isNaN(dateMillis)) return undefined;
  return Math.max(0, dateMillis - nowMillis);
}
