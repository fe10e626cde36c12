/** Whether a number is a sample rate the service can read: a percentage in (0, 100]. */
const isUsable = (rate: number | undefined): rate is number => rate !== undefined && rate > 0 && rate <= 100;

/**
 * The `sampleRate` of an item: its `microsoft.sample_rate` attribute when that is in (0, 100],
 * else the context's rate when that is, else none (the service then counts the item once).
 *
 * The spec defines the field as "this telemetry item represents 100 / sampleRate actual telemetry
 * items", so a rate of 0, below 0 or above 100 means nothing; the emulator refuses such items (106)
 * and the service's answer to them is unknown, so they are never sent. Microsoft's exporter
 * (`@azure/monitor-opentelemetry-exporter` 1.0.0-beta.42, `spanUtils`) copies any truthy attribute
 * with `Number(...)` and treats 0 as absent (100); dropping the other out-of-range values the same
 * way keeps the item and counts it once rather than risking its refusal.
 */
export function itemSampleRate(attribute: number | undefined, contextRate: (() => number | undefined) | undefined): number | undefined {
  if (isUsable(attribute)) return attribute;
  const fallback = contextRate?.();
  return isUsable(fallback) ? fallback : undefined;
}
