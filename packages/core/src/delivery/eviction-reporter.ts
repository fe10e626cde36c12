import type { DiagLogger } from '@opentelemetry/api';

/** Evictions are summarised at most this often after the first one is logged. */
const EVICTION_LOG_INTERVAL_MILLIS = 60_000;

/** Counts items a store dropped to stay within its bounds and reports them in warn lines. */
export interface EvictionReporter {
  /** Record `items` items in `requests` requests dropped for `reason` (logged now or summarised later). */
  report(items: number, requests: number, reason: string): void;
  /** Total items dropped so far. */
  total(): number;
}

/**
 * One warn line per eviction burst: the first eviction is logged at once, later ones are summed and
 * logged with the next eviction after {@link EVICTION_LOG_INTERVAL_MILLIS}.
 */
export function createEvictionReporter(log: DiagLogger, storeName: string, now: () => number = Date.now): EvictionReporter {
  let total = 0;
  let pendingItems = 0;
  let pendingRequests = 0;
  let lastLogTimestamp = -Infinity;
  return {
    report(items, requests, reason) {
      if (items <= 0 && requests <= 0) return;
      total += items;
      pendingItems += items;
      pendingRequests += requests;
      if (now() - lastLogTimestamp < EVICTION_LOG_INTERVAL_MILLIS) return;
      lastLogTimestamp = now();
      log.warn(`${storeName}: evicted ${pendingItems} items (${pendingRequests} requests, oldest first): ${reason}; ${total} evicted in total`);
      pendingItems = 0;
      pendingRequests = 0;
    },
    total: () => total,
  };
}
