/** Used when no source gives a positive interval. */
export const DEFAULT_METRIC_INTERVAL_MILLIS = 60_000;

/**
 * The metric export interval: the `metricExportIntervalMillis` option > `OTEL_METRIC_EXPORT_INTERVAL`
 * > the configuration file's `metricExportIntervalMillis` > 60 000. Values that are not positive
 * numbers are skipped.
 *
 * @param option - The option.
 * @param env - The environment (default `process.env`).
 * @param file - The configuration file's value.
 */
export function resolveMetricIntervalMillis(option: number | undefined, env: NodeJS.ProcessEnv = process.env, file?: number): number {
  const isPositive = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value > 0;
  const fromEnv = env['OTEL_METRIC_EXPORT_INTERVAL']?.trim();
  return [option, fromEnv ? Number(fromEnv) : undefined, file].find(isPositive) ?? DEFAULT_METRIC_INTERVAL_MILLIS;
}
