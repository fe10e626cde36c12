import type { EntryName } from './file-names';

/** The bounds of a store (DESIGN.md section 6). */
export interface StoreBounds {
  readonly maxBytes: number;
  readonly maxAgeMillis: number;
}

/** Why an entry goes: too old, or the store is over its byte bound (oldest first). */
export type EvictionReason = 'expired' | 'over-bytes';

/**
 * Whether `entry` must be evicted when the store holds `totalBytes` (entries and leases), or
 * `undefined`. The entry just written (`keep`) never evicts itself: a store at exactly `maxBytes`
 * is within bounds.
 */
export function evictionReason(entry: EntryName, totalBytes: number, bounds: StoreBounds, now: number, keep?: string): EvictionReason | undefined {
  if (entry.name === keep) return undefined;
  if (entry.createdTimestamp < now - bounds.maxAgeMillis) return 'expired';
  return totalBytes > bounds.maxBytes ? 'over-bytes' : undefined;
}

/** The words a log line uses for `reason`. */
export function describeEviction(reason: EvictionReason, bounds: StoreBounds): string {
  return reason === 'expired' ? `older than ${bounds.maxAgeMillis} ms` : `over ${bounds.maxBytes} bytes`;
}
