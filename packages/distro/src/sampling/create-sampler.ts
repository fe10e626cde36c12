import { ApplicationInsightsSampler } from '@appinsights-otel/core';
import { AlwaysOffSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { createRateLimitedSampler } from './rate-limited-sampler';

/** The sampler to use and any settings that were ignored (one warning each). */
export interface SamplerChoice {
  readonly sampler: Sampler;
  /** Human-readable description, e.g. `ratio 0.25` or `rate-limited 5/s`. */
  readonly description: string;
  /** The fixed percentage of traces kept, when below 100 (what kept items carry as `sampleRate`). */
  readonly percentage?: number;
  readonly warnings: readonly string[];
}

/** The sampling settings of one source (options, or the configuration file). */
export interface SamplingSettings {
  samplingRatio?: number;
  tracesPerSecond?: number;
}

/**
 * Chooses the trace sampler: `tracesPerSecond` option > `samplingRatio` option >
 * `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG` > the configuration file's `tracesPerSecond` >
 * its `samplingRatio` > keep everything. All ratio modes use the
 * Application Insights-compatible sampler (same trace id hash as the other Application Insights
 * SDKs, so a trace is kept or dropped as a whole across services). Supported `OTEL_TRACES_SAMPLER`
 * values: `microsoft.fixed_percentage` / `traceidratio` / `parentbased_traceidratio` (ARG = ratio),
 * `microsoft.rate_limited` (ARG = traces per second), `always_on` / `parentbased_always_on`,
 * `always_off` / `parentbased_always_off`. Invalid values are ignored with a warning.
 *
 * @param options - `samplingRatio` and `tracesPerSecond` from the `useAzureMonitor()` options.
 * @param env - The environment (default `process.env`).
 */
export function createSampler(
  options: SamplingSettings,
  env: NodeJS.ProcessEnv = process.env,
  file: SamplingSettings = {},
): SamplerChoice {
  const warnings: string[] = [];
  const fromOptions = fromSettings(options, '', warnings);
  if (fromOptions !== undefined) return fromOptions;
  const name = env['OTEL_TRACES_SAMPLER']?.trim().toLowerCase();
  const arg = env['OTEL_TRACES_SAMPLER_ARG']?.trim();
  switch (name) {
    case undefined:
    case '':
      return fromSettings(file, 'configuration file: ', warnings) ?? ratio(1, warnings);
    case 'always_on':
    case 'parentbased_always_on':
      return ratio(1, warnings);
    case 'always_off':
    case 'parentbased_always_off':
      return { sampler: new AlwaysOffSampler(), description: 'always off', warnings };
    case 'microsoft.fixed_percentage':
    case 'traceidratio':
    case 'parentbased_traceidratio': {
      const value = arg === undefined || arg === '' ? 1 : Number(arg);
      if (isRatio(value)) return ratio(value, warnings);
      warnings.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 for ${name}; keeping every trace`);
      return ratio(1, warnings);
    }
    case 'microsoft.rate_limited': {
      const value = Number(arg);
      if (isPositive(value)) return rateLimited(value, warnings);
      warnings.push('OTEL_TRACES_SAMPLER_ARG must be traces per second (above 0) for microsoft.rate_limited; keeping every trace');
      return ratio(1, warnings);
    }
    default:
      warnings.push(`OTEL_TRACES_SAMPLER=${name} is not supported here; keeping every trace`);
      return ratio(1, warnings);
  }
}

/** The sampler `settings` ask for, or `undefined` when they ask for none. */
function fromSettings(settings: SamplingSettings, where: string, warnings: string[]): SamplerChoice | undefined {
  if (settings.tracesPerSecond !== undefined) {
    if (isPositive(settings.tracesPerSecond)) return rateLimited(settings.tracesPerSecond, warnings);
    warnings.push(`${where}tracesPerSecond must be a number above 0; ignored`);
  }
  if (settings.samplingRatio !== undefined) {
    if (isRatio(settings.samplingRatio)) return ratio(settings.samplingRatio, warnings);
    warnings.push(`${where}samplingRatio must be a number from 0 to 1; ignored (keeping every trace)`);
    return ratio(1, warnings);
  }
  return undefined;
}

function ratio(value: number, warnings: string[]): SamplerChoice {
  const sampler = new ApplicationInsightsSampler(value);
  const percentage = sampler.samplePercentage;
  return percentage > 0 && percentage < 100
    ? { sampler, description: `ratio ${value}`, percentage, warnings }
    : { sampler, description: `ratio ${value}`, warnings };
}

function rateLimited(value: number, warnings: string[]): SamplerChoice {
  return { sampler: createRateLimitedSampler({ tracesPerSecond: value }), description: `rate-limited ${value}/s`, warnings };
}

function isRatio(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

function isPositive(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
