import { diag } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolveConfig, type AzureMonitorExporterOptions, type MappingContextOptions } from '@appinsights-otel/core';
import { createLiveMetricsAccumulator } from './create-live-metrics-accumulator';
import { createLiveMetrics } from './protocol/create-live-metrics';
import type { LiveMetricsSession } from './protocol/create-live-metrics-session';
import { createPrivateMetrics, type PrivateMetrics } from './create-private-metrics';
import { createStandardMetricsAggregator } from './standard-metrics-aggregator';
import { createTelemetryTap } from './create-telemetry-tap';
import { recordSampledOutSpans, sampledSpansOnly } from './record-sampled-out-spans';
import { registerPerformanceCounters } from './register-performance-counters';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro/live-metrics' });
const METER_NAME = '@appinsights-otel/distro';

/** Which auto-collection features are on (resolved by the distro's settings). */
export interface AutoCollection {
  readonly liveMetrics: boolean;
  readonly performanceCounters: boolean;
  readonly standardMetrics: boolean;
}

/** What `useAzureMonitor()` adds for Live Metrics, performance counters and standard metrics. */
export interface AutoCollectionSetup {
  readonly enabled: AutoCollection;
  /**
   * The span processors to run before the exporting one: the user's (shown sampled spans only, as
   * before) and the tap.
   */
  spanProcessors(userProcessors: readonly SpanProcessor[]): SpanProcessor[];
  /** Add to the logger provider (before the exporting processor). */
  readonly logRecordProcessors: LogRecordProcessor[];
  /** The sampler to use instead of `sampler` (records dropped spans so counts stay exact). */
  wrapSampler(sampler: Sampler): Sampler;
  /**
   * Performance counters and standard metrics, for the Azure Monitor metric reader's
   * `metricProducers` (only that reader sees them); `undefined` when both are off.
   */
  readonly metricProducer: MetricProducer | undefined;
  /** Starts Live Metrics (first ping after 2 s). */
  start(): void;
  /** Stops Live Metrics and the private metrics. */
  shutdown(): Promise<void>;
}

/** Options of {@link createAutoCollection}. */
export interface AutoCollectionInput {
  /** The options the exporters are built with (connection string, credential, audience). */
  readonly exporterOptions: AzureMonitorExporterOptions & { readonly userAgentPrefix?: string };
  /** Which of the three features are on (the resolved settings). */
  readonly enabled: AutoCollection;
  /** The mapping options the trace exporter uses too (`successOverride`, `requestNameSource`). */
  readonly mapping: Pick<MappingContextOptions, 'successOverride' | 'requestNameSource'>;
  /** The SDK resource (tags of the performance counters and standard metrics). */
  readonly resource: Resource;
  /** Whether metrics are exported at all (without, performance counters and standard metrics are off). */
  readonly exportMetrics: boolean;
  /** `cloud_RoleName` for Live Metrics (the resource's service name). */
  readonly roleName?: string;
}

/**
 * Live Metrics, performance counters and standard metrics for `useAzureMonitor()`. One tap reduces
 * each span and log record to the facts all three aggregate (no mapping; see `createTelemetryTap`). Live Metrics resolves the same configuration as the
 * exporters, so it uses the same shared token provider (one token for every signal). Performance
 * counters and standard metrics live on a private meter that only the Azure Monitor reader
 * collects. Creates no timer and opens no connection: `start()` does, and only for what is on.
 * With all three off it adds nothing at all.
 *
 * @throws ConfigError for unusable exporter options (the caller logs it and leaves auto-collection off).
 */
export function createAutoCollection(input: AutoCollectionInput): AutoCollectionSetup {
  const { enabled } = input;
  const any = enabled.liveMetrics || enabled.performanceCounters || enabled.standardMetrics;
  const config = resolveConfig(input.exporterOptions, {}); // the distro resolved connection string and credential already
  const tap = any ? createTelemetryTap({ instrumentationKey: config.instrumentationKey, markProcessed: enabled.standardMetrics, mapping: input.mapping }) : undefined;
  let session: LiveMetricsSession | undefined;
  if (enabled.liveMetrics && tap) {
    const accumulator = createLiveMetricsAccumulator();
    tap.listen((item) => accumulator.record(item));
    session = createLiveMetrics(config, {
      source: accumulator,
      ...(input.roleName !== undefined ? { roleName: input.roleName } : {}),
      ...(input.exporterOptions.userAgentPrefix !== undefined ? { userAgent: input.exporterOptions.userAgentPrefix } : {}),
    });
  }
  let metrics: PrivateMetrics | undefined;
  if (tap && input.exportMetrics && (enabled.performanceCounters || enabled.standardMetrics)) {
    // standard metrics: aggregated by us (no SDK attribute hashing per record), collected with the meter's
    const standard = enabled.standardMetrics ? createStandardMetricsAggregator(millisToHrTime(Date.now())) : undefined;
    metrics = createPrivateMetrics(input.resource, METER_NAME, standard);
    if (standard) tap.listen(standard.record);
    if (enabled.performanceCounters) tap.listen(registerPerformanceCounters(metrics.meter));
  }
  return {
    enabled,
    metricProducer: metrics?.producer,
    spanProcessors: (user) => (tap ? [...user.map(sampledSpansOnly), tap.spanProcessor] : [...user]),
    logRecordProcessors: tap ? [tap.logRecordProcessor] : [],
    wrapSampler: (sampler) => (tap ? recordSampledOutSpans(sampler) : sampler),
    start() {
      if (session) {
        session.start();
        log.debug('Live Metrics on: pinging the Live Metrics endpoint every 5 s until someone watches');
      }
    },
    async shutdown() {
      await Promise.all([session?.shutdown(), metrics?.shutdown()]);
    },
  };
}

/**
 * {@link createAutoCollection} that never throws: a configuration problem is logged once and
 * leaves Live Metrics, performance counters and standard metrics off (telemetry export goes on).
 */
export function tryCreateAutoCollection(input: AutoCollectionInput): AutoCollectionSetup | undefined {
  try {
    return createAutoCollection(input);
  } catch (error: unknown) {
    log.error(`Live Metrics, performance counters and standard metrics are off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
