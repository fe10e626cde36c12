/**
 * Shortens `value` to at most `maxChars` UTF-16 code units without splitting a surrogate pair.
 */
export function truncateString(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  let end = Math.max(0, maxChars);
  const last = value.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, end);
}
