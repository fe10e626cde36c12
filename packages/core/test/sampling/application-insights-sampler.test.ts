import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../../src/errors';
import { spanToEnvelopes } from '../../src/mapping/trace/span-to-envelopes';
import { ApplicationInsightsSampler } from '../../src/sampling/application-insights-sampler';
import { samplingScore } from '../../src/sampling/sampling-score';
import { buildSpan } from '../mapping/fixtures/build-span';
import { CTX, DURATION, IKEY, RESOURCE_TAGS, SPAN_ID, START_ISO, TRACE_ID } from '../mapping/fixtures/mapping-fixtures';

const VECTOR_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

describe('samplingScore', () => {
  // Reference values from the Application Insights getSamplingHashCode algorithm.
  it.each([
    [VECTOR_TRACE_ID, 52.78892803601405],
    ['4bf92f3577b34da6a3ce929d0e0e4736', 33.46135385030012],
    ['00000000000000000000000000000001', 2.339351457701694],
    ['ffffffffffffffffffffffffffffffff', 99.96135514227737],
    ['abc', 46.12368808413096],
    ['a', 16.249091046046974],
    ['', 0],
  ])('scores %p as %p', (traceId, expected) => {
    expect(samplingScore(traceId)).toBeCloseTo(expected, 10);
  });

  it('matches the DESIGN.md test vector to four decimals', () => {
    expect(Number(samplingScore(VECTOR_TRACE_ID).toFixed(4))).toBe(52.7889);
  });
});

const parentContext = (sampled: boolean, isRemote: boolean) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: VECTOR_TRACE_ID, spanId: '00f067aa0ba902b7', isRemote,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  });

describe('ApplicationInsightsSampler', () => {
  it.each([
    ['keeps a root trace scoring below the percentage', 0.53, { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'microsoft.sample_rate': 53 } }],
    ['drops a root trace scoring above the percentage', 0.52, { decision: SamplingDecision.NOT_RECORD }],
    ['keeps everything at ratio 1 without writing a rate', 1, { decision: SamplingDecision.RECORD_AND_SAMPLED }],
    ['drops every root at ratio 0', 0, { decision: SamplingDecision.NOT_RECORD }],
    ['keeps the percentage free of float noise', 0.7, { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'microsoft.sample_rate': 70 } }],
  ])('%s', (_title, ratio, expected) => {
    const sampler: Sampler = new ApplicationInsightsSampler(ratio);
    expect(sampler.shouldSample(ROOT_CONTEXT, VECTOR_TRACE_ID, 'op', SpanKind.SERVER, {}, [])).toEqual(expected);
  });

  it.each([
    ['a sampled remote parent wins over a low score', 0.1, true, true, { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'microsoft.sample_rate': 10 } }],
    ['a sampled local parent wins over a low score', 0.1, true, false, { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'microsoft.sample_rate': 10 } }],
    ['an unsampled remote parent wins over a high score', 0.9, false, true, { decision: SamplingDecision.NOT_RECORD }],
    ['an unsampled local parent wins even at ratio 1', 1, false, false, { decision: SamplingDecision.NOT_RECORD }],
    ['a sampled parent at ratio 0 is kept without a rate', 0, true, true, { decision: SamplingDecision.RECORD_AND_SAMPLED }],
  ])('follows the parent: %s', (_title, ratio, sampled, isRemote, expected) => {
    const sampler: Sampler = new ApplicationInsightsSampler(ratio);
    expect(sampler.shouldSample(parentContext(sampled, isRemote), VECTOR_TRACE_ID, 'op', SpanKind.CLIENT, {}, [])).toEqual(expected);
  });

  it.each([[-0.1], [1.5], [NaN], [Infinity]])('rejects ratio %p with a ConfigError', (ratio) => {
    expect(() => new ApplicationInsightsSampler(ratio)).toThrow(ConfigError);
  });

  it('describes itself', () => {
    expect(new ApplicationInsightsSampler(0.25).toString()).toBe('ApplicationInsightsSampler{0.25}');
  });

  it('feeds sampleRate into the envelope through the SDK', () => {
    const span = buildSpan({ name: 'work', kind: SpanKind.INTERNAL, sampler: new ApplicationInsightsSampler(0.6) });
    expect(TRACE_ID).toBe(VECTOR_TRACE_ID);
    expect(spanToEnvelopes(span, CTX)).toEqual([
      {
        ver: 1, name: 'Microsoft.ApplicationInsights.RemoteDependency', time: START_ISO, sampleRate: 60, iKey: IKEY,
        tags: { ...RESOURCE_TAGS, 'ai.operation.id': TRACE_ID },
        data: { baseType: 'RemoteDependencyData', baseData: { ver: 2, id: SPAN_ID, name: 'work', type: 'InProc', resultCode: '0', duration: DURATION, success: true } },
      },
    ]);
  });
});
