import { ApplicationInsightsSampler } from '@appinsights-otel/core';
import { AlwaysOffSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { createRateLimitedSampler } from './rate-limited-sampler';

/** The sampler to use and any settings that were ignored (one warning each). */
export interface SamplerChoice {
  readonly sampler: Sampler;
  /** Human-readable description, e.g. `ratio 0.25` or `rate-limited 5/s`. */
  readonly description: string;
  readonly warnings: readonly string[];
}

/**
 * Chooses the trace sampler: `tracesPerSecond` option > `samplingRatio` option >
 * `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG` > keep everything. All ratio modes use the
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
  options: { samplingRatio?: number; tracesPerSecond?: number },
  env: NodeJS.ProcessEnv = process.env,
): SamplerChoice {
  const warnings: string[] = [];
  if (options.tracesPerSecond !== undefined) {
    if (isPositive(options.tracesPerSecond)) return rateLimited(options.tracesPerSecond, warnings);
    warnings.push('tracesPerSecond must be a number above 0; ignored');
  }
  if (options.samplingRatio !== undefined) {
    if (isRatio(options.samplingRatio)) return ratio(options.samplingRatio, warnings);
    warnings.push('samplingRatio must be a number from 0 to 1; ignored (keeping every trace)');
    return ratio(1, warnings);
  }
  const name = env['OTEL_TRACES_SAMPLER']?.trim().toLowerCase();
  const arg = env['OTEL_TRACES_SAMPLER_ARG']?.trim();
  switch (name) {
    case undefined:
    case '':
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

function ratio(value: number, warnings: string[]): SamplerChoice {
  return { sampler: new ApplicationInsightsSampler(value), description: `ratio ${value}`, warnings };
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
