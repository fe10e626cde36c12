import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AlwaysOffSampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { ApplicationInsightsSampler, SAMPLE_RATE_ATTRIBUTE } from '@appinsights-otel/core';
import { createRateLimitedSampler } from '../../src/sampling/rate-limited-sampler';
import { createSampler } from '../../src/sampling/create-sampler';
import { resolveSettings } from '../../src/config/resolve-settings';
import type { AzureMonitorOptions } from '../../src/config/azure-monitor-options';

/** The sampler the settings resolve to from options, environment and (as JSON) a configuration file, with the warnings. */
function choose(options: AzureMonitorOptions, env: Record<string, string>, file?: Record<string, unknown>) {
  const fileEnv = file === undefined ? {} : { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify(file) };
  const resolved = resolveSettings(options, { ...env, ...fileEnv });
  return { ...createSampler(resolved.settings.sampler), warnings: resolved.warnings };
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const decide = (sampler: ReturnType<typeof createRateLimitedSampler>, ctx = ROOT_CONTEXT) =>
  sampler.shouldSample(ctx, TRACE_ID, 'GET /', SpanKind.SERVER, {}, []);

describe('createRateLimitedSampler', () => {
  it('keeps at most one second of budget per second and reports the kept percentage', () => {
    let now = 0;
    const sampler = createRateLimitedSampler({ tracesPerSecond: 2, nowMillis: () => now });
    // 10 root spans arrive within the same instant: the burst budget is 2
    const first = Array.from({ length: 10 }, () => decide(sampler));
    expect(first.filter((r) => r.decision === SamplingDecision.RECORD_AND_SAMPLED)).toHaveLength(2);
    // steady 20 per second for 30 seconds: about 10% kept
    let kept = 0; let last;
    for (let i = 0; i < 600; i++) {
      now += 50;
      const result = decide(sampler);
      if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) { kept++; last = result; }
    }
    expect(kept).toBeGreaterThanOrEqual(58);
    expect(kept).toBeLessThanOrEqual(62);
    const percent = last!.attributes![SAMPLE_RATE_ATTRIBUTE] as number;
    expect(percent).toBeGreaterThan(8);
    expect(percent).toBeLessThan(12);
  });

  it('omits the sample rate while everything is kept', () => {
    let now = 0;
    const sampler = createRateLimitedSampler({ tracesPerSecond: 100, nowMillis: () => now });
    now += 1000;
    const result = decide(sampler);
    expect(result.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(result.attributes).toBeUndefined();
  });

  it('follows the parent decision for child spans without spending budget', () => {
    const sampler = createRateLimitedSampler({ tracesPerSecond: 1, nowMillis: () => 0 });
    const sampledParent = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    const droppedParent = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE });
    expect(decide(sampler, sampledParent).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, droppedParent).decision).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED); // budget untouched
  });
});

describe('the sampler setting and createSampler', () => {
  it.each([
    [{}, {}, 'ratio 1'],
    [{ samplingRatio: 0.25 }, {}, 'ratio 0.25'],
    [{ tracesPerSecond: 5, samplingRatio: 0.25 }, {}, 'rate-limited 5/s'],
    [{ samplingRatio: 0.5 }, { OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '3' }, 'ratio 0.5'],
    [{}, { OTEL_TRACES_SAMPLER: 'microsoft.fixed_percentage', OTEL_TRACES_SAMPLER_ARG: '0.1' }, 'ratio 0.1'],
    [{}, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.3' }, 'ratio 0.3'],
    [{}, { OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '3' }, 'rate-limited 3/s'],
    [{}, { OTEL_TRACES_SAMPLER: 'always_off' }, 'always off'],
  ])('options %j with env %j -> %s', (options, env, description) => {
    const choice = choose(options, env);
    expect(choice.description).toBe(description);
    expect(choice.warnings).toEqual([]);
  });

  it.each([
    [{}, {}, { samplingRatio: 0.2 }, 'ratio 0.2'],
    [{}, {}, { tracesPerSecond: 4, samplingRatio: 0.2 }, 'rate-limited 4/s'],
    [{}, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.7' }, { samplingRatio: 0.2 }, 'ratio 0.7'],
    [{ samplingRatio: 0.9 }, {}, { tracesPerSecond: 4 }, 'ratio 0.9'],
  ])('the configuration file comes after options and environment: %j / %j / file %j -> %s', (options, env, file, description) => {
    expect(choose(options, env, file).description).toBe(description);
  });

  it.each([
    [{ samplingRatio: 0.25 }, 25],
    [{ samplingRatio: 1 }, undefined],
    [{ samplingRatio: 0 }, undefined],
    [{ tracesPerSecond: 3 }, undefined],
  ])('%j exposes the fixed percentage %p (for trace-based log sampling)', (options, percentage) => {
    expect(choose(options, {}).percentage).toBe(percentage);
  });

  it('warns about a bad file value, naming the file', () => {
    expect(choose({}, {}, { samplingRatio: 7 }).warnings).toEqual([expect.stringMatching(/^APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: "samplingRatio" must be a number from 0 to 1; using the default/)]);
  });

  it('uses the Application Insights-compatible sampler for ratios', () => {
    expect(choose({ samplingRatio: 0.5 }, {}).sampler).toBeInstanceOf(ApplicationInsightsSampler);
    expect(choose({}, { OTEL_TRACES_SAMPLER: 'always_off' }).sampler).toBeInstanceOf(AlwaysOffSampler);
  });

  it.each([
    [{ samplingRatio: 1.5 }, {}, /the samplingRatio option must be a number from 0 to 1/],
    [{ tracesPerSecond: -1 }, {}, /the tracesPerSecond option must be a number above 0/],
    [{}, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG must be a ratio/],
    [{}, { OTEL_TRACES_SAMPLER: 'jaeger_remote' }, /not supported/],
    [{}, { OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '0' }, /OTEL_TRACES_SAMPLER_ARG must be traces per second/],
    // one policy: a bad value is replaced by the default, not by a lower source
    [{ tracesPerSecond: 0, samplingRatio: 0.5 }, {}, /the tracesPerSecond option must be a number above 0; using the default \(every trace kept\)/],
  ])('warns about %j / %j and keeps everything', (options, env, pattern) => {
    const choice = choose(options, env);
    expect(choice.warnings.join('\n')).toMatch(pattern);
    expect(choice.description).toBe('ratio 1');
  });
});
