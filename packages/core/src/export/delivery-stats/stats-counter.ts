import type { ItemKind } from './classify-item';
import type { SendCounts, StatsEvent } from './count-settled-send';
import type { SdkStatsMetric, SdkStatsTelemetryType } from './sdk-stats-names';
import { reasonOf } from './status-reason';

/** One SDK Stats row of an interval: a metric, its dimensions and how many items. */
export interface StatsRow {
  readonly metric: SdkStatsMetric;
  readonly telemetryType: SdkStatsTelemetryType;
  /** `drop.code` or `retry.code`. */
  readonly code?: string;
  /** `drop.reason` or `retry.reason`. */
  readonly reason?: string;
  /** `telemetry_success` of dropped requests and dependencies. */
  readonly telemetrySuccess?: boolean;
  readonly count: number;
}

/** Sums counts per metric and dimensions until {@link StatsCounter.drain} takes them. */
export interface StatsCounter {
  /** Count one settled send whose body items are of `kinds` (`undefined`: our own SDK Stats item, not counted). */
  addSend(counts: SendCounts, kinds: readonly (ItemKind | undefined)[]): void;
  /** The rows summed since the last drain (non-zero only), and start again from zero. */
  drain(): StatsRow[];
}

function rowOf(event: StatsEvent, kind: ItemKind): Omit<StatsRow, 'count'> {
  if (event.metric === 'success') return { metric: 'success', telemetryType: kind.type };
  const withSuccess = event.metric === 'dropped' && kind.success !== undefined ? { telemetrySuccess: kind.success } : {};
  return { metric: event.metric, telemetryType: kind.type, code: event.code, reason: reasonOf(event.code), ...withSuccess };
}

/** Create a {@link StatsCounter}. */
export function createStatsCounter(): StatsCounter {
  let rows = new Map<string, StatsRow>();
  const add = (event: StatsEvent, kind: ItemKind, n: number): void => {
    const row = rowOf(event, kind);
    const key = JSON.stringify(row);
    rows.set(key, { ...row, count: (rows.get(key)?.count ?? 0) + n });
  };
  return {
    addSend(counts, kinds) {
      for (const { event, indexes } of counts.items) {
        const picked = indexes === 'all' ? kinds : indexes.map((i) => kinds[i]);
        for (const kind of picked) if (kind !== undefined) add(event, kind, 1);
      }
      for (const { event, count } of counts.elsewhere) add(event, { type: 'UNKNOWN' }, count);
    },
    drain() {
      const taken = [...rows.values()];
      rows = new Map();
      return taken;
    },
  };
}
