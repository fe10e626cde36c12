/** Bounds of one request. */
export interface RequestLimits {
  /** Uncompressed bytes per request (default 1 MB). */
  readonly maxBytes: number;
  /** Items per request (default 512). */
  readonly maxItems: number;
}

/** Default request bounds of {@link splitEnvelopes} (the export pipeline uses {@link EXPORT_REQUEST_LIMITS}). */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({ maxBytes: 1_000_000, maxItems: 512 });

/**
 * Request bounds of the export pipeline. Ingestion documents 64 KB per item and 64,000 items per
 * batch (Azure Monitor service limits, "Maximum telemetry items per batch"), and no request size
 * below that; the byte cap (1 MB of uncompressed JSON, at most about 16 maximal items) is what
 * keeps one request, its retry and its persisted file small. 1,024 items lets one default
 * `BatchSpanProcessor` batch (512 spans) travel in one request with up to one event per span, as
 * the official exporter sends it, instead of two requests gzipped separately (docs/architecture.md).
 */
export const EXPORT_REQUEST_LIMITS: RequestLimits = Object.freeze({ maxBytes: 1_000_000, maxItems: 1_024 });

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
