import { isSpanContextValid, trace, TraceFlags, type Attributes, type Context } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { SAMPLE_RATE_ATTRIBUTE } from '@appinsights-otel/core';

/** Smoothing of the arrival-rate estimate (seconds): about the last few seconds of traffic count. */
const ARRIVAL_HALF_LIFE_SECONDS = 5;

/** Options of {@link createRateLimitedSampler}. */
export interface RateLimitedSamplerOptions {
  /** Keep at most about this many new traces per second (> 0). */
  readonly tracesPerSecond: number;
  /** Monotonic clock in milliseconds (tests pass a fake). Default `performance.now`. */
  readonly nowMillis?: () => number;
}

/**
 * A parent-based, rate-limited sampler: a child follows its parent's decision; a new trace is
 * sampled when the budget (refilled at `tracesPerSecond`, bursts up to one second's worth) allows.
 * Each sampled root span carries `microsoft.sample_rate`, the estimated percentage of traces kept
 * (100 * budget / recent arrival rate; omitted while everything is kept), so Application Insights
 * can scale counts.
 */
export function createRateLimitedSampler(options: RateLimitedSamplerOptions): Sampler {
  const perSecond = options.tracesPerSecond;
  const now = options.nowMillis ?? (() => performance.now());
  const burst = Math.max(1, perSecond);
  let tokens = burst;
  let arrivalsPerSecond = 0;
  let last = now();

  function advance(): void {
    const t = now();
    const elapsedSeconds = Math.max(0, (t - last) / 1000);
    last = t;
    tokens = Math.min(burst, tokens + elapsedSeconds * perSecond);
    arrivalsPerSecond *= Math.pow(0.5, elapsedSeconds / ARRIVAL_HALF_LIFE_SECONDS);
  }

  return {
    shouldSample(context: Context): SamplingResult {
      const parent = trace.getSpanContext(context);
      if (parent !== undefined && isSpanContextValid(parent)) {
        return { decision: (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
      }
      advance();
      // each arrival adds to a decaying sum; sum * ln2 / halfLife approximates the rate per second
      arrivalsPerSecond += Math.LN2 / ARRIVAL_HALF_LIFE_SECONDS;
      if (tokens < 1) return { decision: SamplingDecision.NOT_RECORD };
      tokens -= 1;
      const percent = Math.min(100, (100 * perSecond) / Math.max(arrivalsPerSecond, Number.MIN_VALUE));
      if (percent >= 100) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      const attributes: Attributes = { [SAMPLE_RATE_ATTRIBUTE]: Math.max(percent, 0.0001) };
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes };
    },
    toString: () => `RateLimitedSampler{${perSecond}/s}`,
  };
}
