// The official distro's (@azure/monitor-opentelemetry) environment variables, read where ours mean
// the same thing; ours win when both are set (docs/configuration.md, "Variables of the official distro").
import { DiagLogLevel } from '@opentelemetry/api';
import {
  AggregationType, DataPointType, InstrumentType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { ExportResultCode } from '@opentelemetry/core';
import { resolveSettings } from '../../src/config/resolve-settings';
import { withHistogramAggregation } from '../../src/setup/build-metrics';

const resolve = (env: NodeJS.ProcessEnv, options = {}) => resolveSettings(options, env);

describe('APPLICATION_INSIGHTS_NO_STANDARD_METRICS (official: any value turns standard metrics off)', () => {
  it.each<[string, NodeJS.ProcessEnv, Record<string, unknown>, boolean, string, number]>([
    ['any value turns them off', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: 'disable' }, {}, false, 'environment', 0],
    ['even "false" (the official distro tests for presence)', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: 'false' }, {}, false, 'environment', 0],
    ['blank counts as not set', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: '  ' }, {}, true, 'default', 0],
    ['ours wins, with a warning when they disagree', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: '1', APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'true' }, {}, true, 'environment', 1],
    ['both saying off: no warning', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: '1', APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'false' }, {}, false, 'environment', 0],
    ['the option wins over it', { APPLICATION_INSIGHTS_NO_STANDARD_METRICS: '1' }, { enableStandardMetrics: true }, true, 'options', 0],
  ])('%s', (_name, env, options, value, source, warnings) => {
    const resolved = resolve(env, options);
    expect(resolved.settings.enableStandardMetrics).toBe(value);
    expect(resolved.sources.enableStandardMetrics).toBe(source);
    expect(resolved.warnings).toHaveLength(warnings);
    if (warnings > 0) expect(resolved.warnings[0]).toBe('APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED and APPLICATION_INSIGHTS_NO_STANDARD_METRICS disagree; APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED wins');
  });

  it('a bad value of ours is still ours to report (and the official one is then not consulted as a fallback)', () => {
    const resolved = resolve({ APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED: 'maybe', APPLICATION_INSIGHTS_NO_STANDARD_METRICS: '1' });
    expect(resolved.settings.enableStandardMetrics).toBe(true);
    expect(resolved.warnings).toEqual(['APPLICATIONINSIGHTS_STANDARD_METRICS_ENABLED must be true or false (or 1 or 0); using the default (true)']);
  });
});

describe('APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL (the official distro\'s name for the diag level)', () => {
  it.each<[string, NodeJS.ProcessEnv, DiagLogLevel, string[]]>([
    ['alone, upper case as the official distro documents it', { APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'DEBUG' }, DiagLogLevel.DEBUG, []],
    ['OTEL_LOG_LEVEL wins when both are set', { OTEL_LOG_LEVEL: 'error', APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'VERBOSE' }, DiagLogLevel.ERROR,
      ['OTEL_LOG_LEVEL and APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL disagree; OTEL_LOG_LEVEL wins']],
    ['a bad losing value is a warning only', { OTEL_LOG_LEVEL: 'info', APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'LOUD' }, DiagLogLevel.INFO,
      ['APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL is ignored: OTEL_LOG_LEVEL is set too and wins']],
    ['a bad value alone names it and keeps warn', { APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'LOUD' }, DiagLogLevel.WARN,
      ['APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL must be one of none, error, warn, info, debug, verbose, all; using the default (warn)']],
  ])('%s', (_name, env, level, warnings) => {
    const resolved = resolve(env);
    expect(resolved.settings.logLevel).toBe(level);
    expect(resolved.warnings).toEqual(warnings);
  });
});

describe('OTEL_TRACES_SAMPLER with the official distro\'s samplers', () => {
  it.each<[NodeJS.ProcessEnv, unknown]>([
    [{ OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '2.5' }, { kind: 'rate-limited', tracesPerSecond: 2.5 }],
    [{ OTEL_TRACES_SAMPLER: 'microsoft.fixed_percentage', OTEL_TRACES_SAMPLER_ARG: '0.1' }, { kind: 'ratio', ratio: 0.1 }],
  ])('%j', (env, spec) => {
    expect(resolve(env).settings.sampler).toEqual(spec);
  });
});

describe('OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION', () => {
  it.each<[string | undefined, string, number]>([
    [undefined, 'explicit_bucket_histogram', 0],
    ['base2_exponential_bucket_histogram', 'base2_exponential_bucket_histogram', 0],
    ['BASE2_EXPONENTIAL_BUCKET_HISTOGRAM', 'base2_exponential_bucket_histogram', 0],
    ['explicit_bucket_histogram', 'explicit_bucket_histogram', 0],
    ['t-digest', 'explicit_bucket_histogram', 1],
  ])('%s -> %s', (text, value, warnings) => {
    const resolved = resolve(text === undefined ? {} : { OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: text });
    expect(resolved.settings.histogramAggregation).toBe(value);
    expect(resolved.warnings).toHaveLength(warnings);
  });

  /** A push exporter that keeps what it was given, with the Azure Monitor exporter's delta temporality. */
  function recordingExporter(): PushMetricExporter & { readonly batches: ResourceMetrics[] } {
    const batches: ResourceMetrics[] = [];
    return {
      batches,
      export: (metrics, done) => { batches.push(metrics); done({ code: ExportResultCode.SUCCESS }); },
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    };
  }

  it('exponential: histograms exported to Application Insights become exponential histograms; the exporter is otherwise unchanged', async () => {
    const exporter = recordingExporter();
    const wrapped = withHistogramAggregation(exporter, 'base2_exponential_bucket_histogram');
    expect(wrapped.selectAggregation?.(InstrumentType.HISTOGRAM)).toEqual({ type: AggregationType.EXPONENTIAL_HISTOGRAM });
    expect(wrapped.selectAggregation?.(InstrumentType.COUNTER)).toEqual({ type: AggregationType.DEFAULT });
    const reader = new PeriodicExportingMetricReader({ exporter: wrapped, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter('m').createHistogram('latency').record(12);
    await provider.forceFlush();
    const metric = exporter.batches[0]?.scopeMetrics[0]?.metrics[0];
    expect(metric?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    await provider.shutdown();
  });

  it('explicit (the default) returns the exporter itself', () => {
    const exporter = recordingExporter();
    expect(withHistogramAggregation(exporter, 'explicit_bucket_histogram')).toBe(exporter);
  });
});
