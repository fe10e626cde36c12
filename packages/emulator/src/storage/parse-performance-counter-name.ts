/** A performance counter name split the way the `performanceCounters` table stores it. */
export interface PerformanceCounterName {
  /** E.g. `Processor` for `\Processor(_Total)\% Processor Time`. */
  readonly category: string;
  /** E.g. `% Processor Time`. */
  readonly counter: string;
  /** E.g. `_Total`; empty when the name has none. */
  readonly instance: string;
}

const COUNTER_NAME = /^\\([^\\()]+)(?:\(([^)]*)\))?\\(.+)$/;

/**
 * Splits `\Category(Instance)\Counter` (instance optional), the form SDKs use for performance
 * counters sent as MetricData; `undefined` for any other metric name (a custom metric).
 */
export function parsePerformanceCounterName(name: string): PerformanceCounterName | undefined {
  const m = COUNTER_NAME.exec(name);
  if (!m) return undefined;
  return { category: m[1] as string, instance: m[2] ?? '', counter: m[3] as string };
}
