/** A token bucket: `burst` tokens at most, refilled at `ratePerSecond`. */
export interface TokenBucket {
  /** Take `count` tokens if all are there; returns 0, else the milliseconds until they would be. */
  take(count: number, nowMillis: number): number;
  /** Milliseconds until at least one token is there (0 when one is). */
  waitForOne(nowMillis: number): number;
}

/** Create a full token bucket. */
export function createTokenBucket(ratePerSecond: number, burst: number, nowMillis: number): TokenBucket {
  let tokens = burst;
  let updatedAt = nowMillis;
  const refill = (now: number): void => {
    tokens = Math.min(burst, tokens + (Math.max(0, now - updatedAt) * ratePerSecond) / 1000);
    updatedAt = now;
  };
  const waitFor = (count: number): number => Math.ceil(((count - tokens) * 1000) / ratePerSecond);
  return {
    take(count, now) {
      refill(now);
      if (tokens >= count) {
        tokens -= count;
        return 0;
      }
      return waitFor(count);
    },
    waitForOne(now) {
      refill(now);
      return tokens >= 1 ? 0 : waitFor(1);
    },
  };
}

/** One token bucket per client key, remembering at most `maxClients` (least recently seen forgotten first). */
export interface ClientBuckets {
  bucketOf(key: string, nowMillis: number): TokenBucket;
  readonly size: number;
}

/** Create the per-client buckets; memory stays bounded by `maxClients` whatever the number of clients. */
export function createClientBuckets(ratePerSecond: number, burst: number, maxClients: number): ClientBuckets {
  const buckets = new Map<string, TokenBucket>();
  return {
    bucketOf(key, now) {
      let bucket = buckets.get(key);
      if (bucket !== undefined) {
        buckets.delete(key); // re-insert: a Map iterates in insertion order, so the first key is the least recently seen
      } else {
        bucket = createTokenBucket(ratePerSecond, burst, now);
        if (buckets.size >= maxClients) {
          const oldest = buckets.keys().next();
          if (oldest.done !== true) buckets.delete(oldest.value);
        }
      }
      buckets.set(key, bucket);
      return bucket;
    },
    get size() {
      return buckets.size;
    },
  };
}
