/** RFC 3339 date-time, as the contract's `format: date-time` and the web SDK's `toISOString()` give it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
/** Ingestion refuses items older than this (`103: Field 'time' on type 'Envelope' is older than the allowed min date`). */
const MAX_ITEM_AGE_MILLIS = 48 * 60 * 60 * 1000;
/** How far ahead of the relay's clock a browser's clock may be. */
const MAX_ITEM_AHEAD_MILLIS = 24 * 60 * 60 * 1000;

/**
 * Why an item's `time` is refused, or `undefined` when it is kept (pure): not an ISO 8601
 * date-time, older than ingestion keeps, or further in the future than a wrong browser clock explains.
 */
export function itemTimeProblem(time: string, nowMillis: number): string | undefined {
  const at = DATE_TIME.test(time) ? Date.parse(time) : NaN;
  if (Number.isNaN(at)) return 'the item\'s time is not an ISO 8601 date-time such as 2026-01-31T12:00:00.000Z';
  if (at < nowMillis - MAX_ITEM_AGE_MILLIS) return 'the item\'s time is older than 48 hours; ingestion refuses it';
  if (at > nowMillis + MAX_ITEM_AHEAD_MILLIS) return 'the item\'s time is more than 24 hours in the future; check the device clock';
  return undefined;
}
