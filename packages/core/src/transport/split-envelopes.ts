/** Bounds of one request. */
export interface RequestLimits {
  /** Uncompressed bytes per request (default 1 MB). */
  readonly maxBytes: number;
  /** Items per request (default 512). */
  readonly maxItems: number;
}

/** Default request bounds. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({ maxBytes: 1_000_000, maxItems: 512 });

/**
 * Splits envelopes, in order, into groups that each serialize (newline-delimited JSON) to at most
 * `maxBytes` uncompressed bytes and hold at most `maxItems` items. An envelope larger than
 * `maxBytes` on its own travels alone (mapping already bounds items at 64 KB).
 */
export function splitEnvelopes<T extends object>(envelopes: readonly T[], limits: Partial<RequestLimits> = {}): T[][] {
  const { maxBytes, maxItems } = { ...DEFAULT_REQUEST_LIMITS, ...limits };
  const groups: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const envelope of envelopes) {
    const bytes = Buffer.byteLength(JSON.stringify(envelope), 'utf8') + 1; // + newline
    if (current.length > 0 && (current.length >= maxItems || currentBytes + bytes > maxBytes)) {
      groups.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(envelope);
    currentBytes += bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
