import { context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Resource } from '@opentelemetry/resources';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MeterProvider, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { DeliveryStats } from '@appinsights-otel/core';
import type { ExportTarget } from '../config/resolve-export-target';
import type { DistroSettings } from '../config/settings-table';
import { createInstrumentations } from '../instrumentations/create-instrumentations';
import { canAggregateInstrumentationMetrics, createInstrumentationMeters } from '../metrics/instrumentation-meters';
import { createOperationProcessors } from '../operation-name/create-operation-processors';
import { tryCreateAutoCollection, type AutoCollectionSetup } from '../live-metrics/create-auto-collection';
import { createResource } from '../resource/create-resource';
import { createSampler } from '../sampling/create-sampler';
import { buildDeliveryStats } from './build-delivery-stats';
import { buildLoggerProvider } from './build-logs';
import { buildMeterProvider } from './build-metrics';
import { buildTracerProvider } from './build-traces';
import {
  createExporters, exporterOptionsOf, mappingOptionsOf, signalExportsOf, type Exporters, type MappingOptions, type SignalExports,
} from './build-exporters';
import { ownOrigins } from './own-origins';
import { patchLoadedBuiltins } from './patch-loaded-builtins';
import { registerFunctionsHook } from './register-functions-hook';
import { registerGlobals, type RegisteredGlobals } from './register-globals';
import { reuseInstrumentations } from './reuse-instrumentations';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** What {@link setUpSignals} started. */
export interface SignalsSetup {
  readonly tracerProvider: NodeTracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  readonly autoCollection?: AutoCollectionSetup;
  /** SDK Stats, when on: shut down after the providers, so their last sends are counted. */
  readonly deliveryStats?: DeliveryStats;
  readonly unloadInstrumentations: () => void;
  readonly removeFunctionsHook: (() => void) | undefined;
  readonly registered: RegisteredGlobals;
}

/**
 * The composition root of `useAzureMonitor()`: exporters (one mapping-options object for the trace
 * exporter and the Live Metrics tap), then the traces, metrics and logs builders, each given only
 * the settings it needs, then the globals, the instrumentations and the Azure Functions hook.
 *
 * @param settings - The resolved, frozen settings.
 * @param target - Where telemetry goes, or why export is off.
 */
export function setUpSignals(settings: DistroSettings, target: ExportTarget): SignalsSetup {
  const signals = signalExportsOf(settings);
  const operations = createOperationProcessors(settings);
  const mapping = mappingOptionsOf(settings, operations.operationNameOf);
  const resource = createResource(settings.resource, { detectors: settings.resourceDetectors, platform: settings.platformVariables });
  const deliveryStats = target.exportEnabled ? buildDeliveryStats(settings, exporterOptionsOf(settings, target), resource) : undefined;
  const exporters = startExport(settings, target, mapping, signals, deliveryStats);
  const sampling = createSampler(settings.sampler);
  const auto = exporters !== undefined && target.exportEnabled ? createAutoCollection(settings, target, mapping, resource, exporters) : undefined;
  const tracerProvider = buildTracerProvider({ resource, sampler: sampling.sampler, spanProcessors: settings.spanProcessors, exporter: exporters?.trace, auto, operations });
  // The instrumentations' own metrics, aggregated by the distro when only Application Insights reads them (docs/configuration.md#defaults-chosen-for-cost).
  const ownMetrics = canAggregateInstrumentationMetrics({ exporter: exporters?.metric, views: settings.views, metricReaders: settings.metricReaders })
    ? createInstrumentationMeters(() => meterProvider, resource)
    : undefined;
  const meterProvider: MeterProvider = buildMeterProvider({
    resource, views: settings.views, metricReaders: settings.metricReaders, exporter: exporters?.metric,
    exportIntervalMillis: settings.metricExportIntervalMillis, histogramAggregation: settings.histogramAggregation,
    metricProducers: [ownMetrics?.producer, auto?.metricProducer].filter((p): p is MetricProducer => p !== undefined),
  });
  const loggerProvider = buildLoggerProvider({
    resource, processors: [...operations.leadingLogRecordProcessors, ...settings.logRecordProcessors, ...(auto?.logRecordProcessors ?? [])], exporter: exporters?.logs,
    wrapExporting: operations.wrapExportingLogRecordProcessor,
    traceBasedLogSampling: settings.traceBasedLogSampling, samplePercentage: sampling.percentage,
  });
  const registered = registerGlobals(tracerProvider, meterProvider, loggerProvider);
  // Live Metrics' own work (its token and its requests) is never traced: its timers start in a
  // context with tracing suppressed, which the context manager carries into every tick.
  if (auto) context.with(suppressTracing(ROOT_CONTEXT), () => auto.start());
  const instrumentations = reuseInstrumentations(createInstrumentations(settings.instrumentationOptions, ownOrigins(target, settings), {
    enabled: settings.enabledInstrumentations, disabled: settings.disabledInstrumentations,
  }), settings.instrumentationOptions.additional);
  const unloadInstrumentations = registerInstrumentations({
    instrumentations,
    ...(registered.trace ? { tracerProvider } : {}),
    ...(registered.metrics ? { meterProvider: ownMetrics?.meterProvider ?? meterProvider } : {}),
    ...(registered.logs ? { loggerProvider } : {}),
  });
  if (instrumentations.length > 0) patchLoadedBuiltins();
  const removeFunctionsHook = registerFunctionsHook(settings.platformVariables);
  return {
    tracerProvider, meterProvider, loggerProvider, ...(auto ? { autoCollection: auto } : {}), ...(deliveryStats ? { deliveryStats } : {}),
    unloadInstrumentations, removeFunctionsHook, registered,
  };
}

/** The exporters when export is on, with one line saying where telemetry goes (or why it does not). */
function startExport(
  settings: DistroSettings, target: ExportTarget, mapping: MappingOptions, signals: SignalExports, deliveryStats: DeliveryStats | undefined,
): Exporters | undefined {
  if (!target.exportEnabled) {
    log.error(target.reason);
    return undefined;
  }
  const options = exporterOptionsOf(settings, target);
  const exporters = createExporters(deliveryStats ? { ...options, deliveryObserver: deliveryStats.observer } : options, mapping, signals);
  if (exporters === undefined) {
    log.error('Application Insights exporters could not be created; telemetry export is off (see the error above)');
    return undefined;
  }
  const ikey = `${target.parsed.instrumentationKey.slice(0, 8)}...`;
  const credential = target.credential === undefined
    ? 'no Microsoft Entra ID credential (instrumentation-key ingestion; resources with local authentication disabled will refuse it)'
    : `Microsoft Entra ID credential from ${target.credentialSource}${target.credentialDescription !== undefined ? `: ${target.credentialDescription}` : ''}`;
  log.info(`sending to Application Insights ${ikey} at ${target.parsed.ingestionEndpoint} with ${credential}`);
  const off = (['traces', 'metrics', 'logs'] as const).filter((signal) => !signals[signal]);
  if (off.length > 0) log.info(`not exported to Application Insights (turned off): ${off.join(', ')}`);
  return exporters;
}

/** Live Metrics, performance counters and standard metrics, with the exporters' options and mapping. */
function createAutoCollection(
  settings: DistroSettings, target: Extract<ExportTarget, { exportEnabled: true }>, mapping: MappingOptions, resource: Resource, exporters: Exporters,
): AutoCollectionSetup | undefined {
  const roleName = resource.attributes['service.name'];
  return tryCreateAutoCollection({
    exporterOptions: exporterOptionsOf(settings, target),
    enabled: { liveMetrics: settings.enableLiveMetrics, performanceCounters: settings.enablePerformanceCounters, standardMetrics: settings.enableStandardMetrics },
    mapping,
    resource,
    exportMetrics: exporters.metric !== undefined,
    ...(typeof roleName === 'string' ? { roleName } : {}),
  });
}
