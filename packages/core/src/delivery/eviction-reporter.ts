import type { DiagLogger } from '@opentelemetry/api';

/** Evictions are logged at most this often; what comes in between is summed and logged later. */
export const EVICTION_LOG_INTERVAL_MILLIS = 60_000;

/** Counts items a store dropped to stay within its bounds and reports every one of them in warn lines. */
export interface EvictionReporter {
  /** Record `items` items in `requests` requests dropped for `reason` (logged now, or summed until the next line). */
  report(items: number, requests: number, reason: string): void;
  /** Log what was evicted since the last line, whatever the interval (drain end, shutdown). */
  flush(): void;
  /** Total items dropped so far. */
  total(): number;
  /** Items dropped and not yet logged. */
  pending(): number;
}

interface Pending { items: number; requests: number }

/**
 * Rate-limited eviction lines: the first eviction is logged at once; later ones within
 * {@link EVICTION_LOG_INTERVAL_MILLIS} are summed per reason and logged with the first eviction
 * after the interval, or by {@link EvictionReporter.flush} (the drain end and shutdown call it), so
 * no eviction goes unreported.
 */
export function createEvictionReporter(log: DiagLogger, storeName: string, now: () => number = Date.now): EvictionReporter {
  let total = 0;
  let lastLogTimestamp = -Infinity;
  const pending = new Map<string, Pending>();

  const flush = (): void => {
    if (pending.size === 0) return;
    const parts = [...pending].map(([reason, p]) => `${p.items} items (${p.requests} requests, oldest first): ${reason}`);
    pending.clear();
    lastLogTimestamp = now();
    log.warn(`${storeName}: evicted ${parts.join('; ')}; ${total} evicted in total`);
  };

  return {
    report(items, requests, reason) {
      if (items <= 0 && requests <= 0) return;
      total += items;
      const p = pending.get(reason) ?? { items: 0, requests: 0 };
      p.items += items;
      p.requests += requests;
      pending.set(reason, p);
      if (now() - lastLogTimestamp >= EVICTION_LOG_INTERVAL_MILLIS) flush();
    },
    flush,
    total: () => total,
    pending: () => [...pending.values()].reduce((n, p) => n + p.items, 0),
  };
}
