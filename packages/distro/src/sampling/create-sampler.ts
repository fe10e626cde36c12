import { ApplicationInsightsSampler } from '@appinsights-otel/core';
import { AlwaysOffSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { createRateLimitedSampler } from './rate-limited-sampler';
import { describeSampler, type SamplerSpec } from './sampler-setting';

/** The sampler to use. */
export interface SamplerChoice {
  readonly sampler: Sampler;
  /** Human-readable description, e.g. `ratio 0.25` or `rate-limited 5/s`. */
  readonly description: string;
  /** The fixed percentage of traces kept, when below 100 (what kept items carry as `sampleRate`). */
  readonly percentage?: number;
}

/**
 * Builds the trace sampler the `sampler` setting asks for (see `samplerFromValues` /
 * `samplerFromEnv`). All ratio modes use the Application Insights-compatible sampler (same trace id
 * hash as the other Application Insights SDKs, so a trace is kept or dropped as a whole across services).
 *
 * @param spec - The resolved `sampler` setting.
 */
export function createSampler(spec: SamplerSpec): SamplerChoice {
  const description = describeSampler(spec);
  switch (spec.kind) {
    case 'always-off':
      return { sampler: new AlwaysOffSampler(), description };
    case 'rate-limited':
      return { sampler: createRateLimitedSampler({ tracesPerSecond: spec.tracesPerSecond }), description };
    case 'ratio': {
      const sampler = new ApplicationInsightsSampler(spec.ratio);
      const percentage = sampler.samplePercentage;
      return percentage > 0 && percentage < 100 ? { sampler, description, percentage } : { sampler, description };
    }
  }
}
