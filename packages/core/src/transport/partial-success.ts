/** Per-item statuses in a 206 body that are worth re-sending. */
const RETRIABLE_ITEM_STATUSES: ReadonlySet<number> = new Set([408, 429, 439, 500, 502, 503, 504]);

/** Item errors whose message matches this were sampled out by ingestion: they count as accepted. */
const SAMPLED_OUT_PATTERN = /sampled out/i;
const MAX_REASONS = 10;
const MAX_REASON_CHARS = 200;

/** A 206 body, interpreted against the request that was sent. */
export interface PartialSuccess {
  /** Items ingestion kept (including those it sampled out). */
  readonly accepted: number;
  /** Indexes (into the sent body) whose item error was retriable, ascending, unique. */
  readonly retryIndexes: readonly number[];
  /** Items refused for good. */
  readonly dropped: number;
  /** Distinct reasons for the dropped items (`<statusCode>: <message>`), at most 10. */
  readonly reasons: readonly string[];
  /**
   * Indexes refused for good, ascending, each with its item status code when ingestion gave one
   * (delivery statistics' `drop.code`); items refused without an index are only in `dropped`.
   */
  readonly droppedItems: readonly { readonly index: number; readonly statusCode?: number }[];
  /** The item status code of each retried index, in `retryIndexes` order (delivery statistics' `retry.code`). */
  readonly retryStatusCodes: readonly number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An item's `statusCode`: a number, or a string of digits ("500") as some proxies send it. */
function itemStatusCode(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{3}\s*$/.test(value)) return Number(value.trim());
  return undefined;
}

function addReason(reasons: string[], reason: string): void {
  const short = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}...` : reason;
  if (reasons.length < MAX_REASONS && !reasons.includes(short)) reasons.push(short);
}

/**
 * Parses an ingestion track response (`{itemsReceived, itemsAccepted, errors:[{index, statusCode,
 * message}]}`) sent for `itemCount` items. Returns `undefined` when the body is not such a response
 * (the caller then keeps the whole batch). Errors with an out-of-range index are ignored.
 */
export function parsePartialSuccess(bodyText: string, itemCount: number): PartialSuccess | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.errors)) return undefined;
  const retry = new Map<number, number>();
  const dropped = new Map<number, string>();
  const droppedStatus = new Map<number, number | undefined>();
  const sampledOut = new Set<number>();
  for (const entry of parsed.errors) {
    if (!isRecord(entry)) continue;
    const { index, statusCode, message } = entry;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= itemCount) continue;
    const text = typeof message === 'string' ? message : '';
    if (SAMPLED_OUT_PATTERN.test(text)) { sampledOut.add(index); continue; }
    const status = itemStatusCode(statusCode);
    if (status !== undefined && RETRIABLE_ITEM_STATUSES.has(status)) {
      if (!retry.has(index)) retry.set(index, status);
    } else if (!dropped.has(index)) {
      dropped.set(index, `${status ?? 'unknown'}: ${text || 'no reason given'}`);
      droppedStatus.set(index, status);
    }
  }
  for (const index of retry.keys()) { dropped.delete(index); sampledOut.delete(index); }
  for (const index of dropped.keys()) sampledOut.delete(index);
  const reasons: string[] = [];
  for (const reason of dropped.values()) addReason(reasons, reason);
  const retryIndexes = [...retry.keys()].sort((a, b) => a - b);
  const droppedItems = [...dropped.keys()].sort((a, b) => a - b).map((index) => {
    const statusCode = droppedStatus.get(index);
    return statusCode !== undefined ? { index, statusCode } : { index };
  });
  // Ingestion names every item it refuses or samples out; if it accepted fewer than that explains,
  // the rest were refused without an index. They cannot be re-sent, but they are never counted as
  // accepted: the export reports them as dropped.
  const unexplained = unexplainedShortfall(parsed.itemsAccepted, itemCount, retry.size + dropped.size + sampledOut.size);
  if (unexplained > 0) addReason(reasons, `unknown: ingestion accepted ${unexplained} fewer item(s) than it received without naming them`);
  const droppedCount = dropped.size + unexplained;
  return {
    accepted: itemCount - retryIndexes.length - droppedCount, retryIndexes, dropped: droppedCount, reasons,
    droppedItems, retryStatusCodes: retryIndexes.map((index) => retry.get(index) as number),
  };
}

/** Items neither accepted nor accounted for by an item error (0 when `itemsAccepted` is absent). */
function unexplainedShortfall(itemsAccepted: unknown, itemCount: number, explained: number): number {
  if (typeof itemsAccepted !== 'number' || !Number.isInteger(itemsAccepted) || itemsAccepted < 0) return 0;
  return Math.max(0, itemCount - Math.min(itemsAccepted, itemCount) - explained);
}
