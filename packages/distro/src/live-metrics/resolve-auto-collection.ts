import { ConfigError } from '@appinsights-otel/core';

/** Environment variable turning Live Metrics off (`false`/`0`). */
export const LIVE_METRICS_ENABLED_ENV = 'APPLICATIONINSIGHTS_LIVE_METRICS_ENABLED';
/** Environment variable turning performance counters off (`false`/`0`). */
export const PERFORMANCE_COUNTERS_ENABLED_ENV = 'APPLICATIONINSIGHTS_PERFORMANCE_COUNTERS_ENABLED';
/** Environment variable turning standard metrics off (`false`/`0`). */
export const STANDARD_METRICS_ENABLED_ENV = 'APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED';

/** The three auto-collection switches, as options. */
export interface AutoCollectionOptions {
  readonly enableLiveMetrics?: boolean;
  readonly enablePerformanceCounters?: boolean;
  readonly enableStandardMetrics?: boolean;
}

/** Which auto-collection features are on. */
export interface AutoCollection {
  readonly liveMetrics: boolean;
  readonly performanceCounters: boolean;
  readonly standardMetrics: boolean;
}

function envSwitch(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false (got a value of ${raw.length} characters)`);
}

function optionSwitch(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(`the ${name} option must be true or false`);
  return value;
}

/**
 * Live Metrics, performance counters and standard metrics: each on by default; the option
 * (`enableLiveMetrics`, `enablePerformanceCounters`, `enableStandardMetrics`) wins over its
 * environment variable (`APPLICATIONINSIGHTS_*_ENABLED=false`), which wins over the same key in the
 * configuration file.
 *
 * @param options - The `useAzureMonitor()` options.
 * @param env - The environment (default `process.env`).
 * @param file - The configuration file's settings (already type-checked by its parser).
 * @throws ConfigError for a non-boolean option or an unreadable variable value.
 */
export function resolveAutoCollection(
  options: AutoCollectionOptions, env: NodeJS.ProcessEnv = process.env, file: AutoCollectionOptions = {},
): AutoCollection {
  return {
    liveMetrics: optionSwitch(options.enableLiveMetrics, 'enableLiveMetrics') ?? envSwitch(env, LIVE_METRICS_ENABLED_ENV) ?? file.enableLiveMetrics ?? true,
    performanceCounters: optionSwitch(options.enablePerformanceCounters, 'enablePerformanceCounters')
      ?? envSwitch(env, PERFORMANCE_COUNTERS_ENABLED_ENV) ?? file.enablePerformanceCounters ?? true,
    standardMetrics: optionSwitch(options.enableStandardMetrics, 'enableStandardMetrics')
      ?? envSwitch(env, STANDARD_METRICS_ENABLED_ENV) ?? file.enableStandardMetrics ?? true,
  };
}
