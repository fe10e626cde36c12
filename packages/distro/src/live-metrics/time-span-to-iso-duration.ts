const TIME_SPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/**
 * An envelope duration (`[d.]hh:mm:ss[.fffffff]`, .NET TimeSpan) -> the ISO 8601 duration the Live
 * Metrics spec (`2024-04-01-preview`) and Microsoft's clients put in documents: seconds only,
 * `PT0.035S`, `PT3723.5S`, `PT0S` (the official client writes `PT${millis / 1000}S`). Exact: no
 * floating-point step. Anything else (not a TimeSpan) gives `PT0S`. Pure.
 */
export function timeSpanToIsoDuration(timeSpan: string): string {
  const match = TIME_SPAN.exec(timeSpan);
  if (match === null) return 'PT0S';
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  const whole = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  const digits = fraction.replace(/0+$/, '');
  return `PT${whole}${digits === '' ? '' : `.${digits}`}S`;
}
