import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../errors';
import { SAMPLE_RATE_ATTRIBUTE } from '../mapping/common/attributes/attribute-keys';
import { samplingScore } from './sampling-score';

const FULL_PERCENTAGE = 100;
/** Keeps the percentage free of binary noise (0.07 * 100 = 7.000000000000001 -> 7). */
const PERCENTAGE_PRECISION = 1e6;

/**
 * A Sampler compatible with Application Insights' own sampling: a root span is kept when
 * `samplingScore(traceId) < percentage`, so all services at the same percentage agree; a child
 * follows its parent's sampled flag (local or remote), like OpenTelemetry's ParentBased sampler.
 * Kept spans carry the percentage as the `microsoft.sample_rate` attribute (omitted at 100% and
 * at 0%), which the span mapper turns into `envelope.sampleRate`.
 */
export class ApplicationInsightsSampler implements Sampler {
  /** Percentage of traces kept, e.g. 25 for ratio 0.25. */
  readonly samplePercentage: number;

  /** @param ratio - fraction of traces to keep, in [0, 1]; throws ConfigError otherwise. */
  constructor(readonly ratio: number = 1) {
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw new ConfigError('sampling ratio must be a number between 0 and 1');
    }
    this.samplePercentage = Math.round(ratio * FULL_PERCENTAGE * PERCENTAGE_PRECISION) / PERCENTAGE_PRECISION;
  }

  /** Decides from the parent's sampled flag, else from the trace id's score (name, kind, attributes and links play no part). */
  shouldSample(context: Context, traceId: string): SamplingResult {
    const parent = trace.getSpanContext(context);
    const sampled =
      parent && isSpanContextValid(parent)
        ? (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
        : this.samplePercentage >= FULL_PERCENTAGE || samplingScore(traceId) < this.samplePercentage;
    if (!sampled) return { decision: SamplingDecision.NOT_RECORD };
    // At 0% only a sampled parent lets a span through; a rate of 0 would claim it stands for infinitely many.
    const writesRate = this.samplePercentage > 0 && this.samplePercentage < FULL_PERCENTAGE;
    return writesRate
      ? { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { [SAMPLE_RATE_ATTRIBUTE]: this.samplePercentage } }
      : { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }

  toString(): string {
    return `ApplicationInsightsSampler{${this.ratio}}`;
  }
}
