import { context, diag, metrics, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { attributeValueToString } from '@appinsights-otel/core';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { AzureMonitorMetricExporter } from '@appinsights-otel/exporter-metric';
import { AzureMonitorLogExporter } from '@appinsights-otel/exporter-logs';
import type { AzureMonitorOptions } from './azure-monitor-options';
import { createInstrumentations } from './create-instrumentations';
import { createResource } from './create-resource';
import { createSampler } from './create-sampler';
import { createTraceBasedLogProcessor } from './create-trace-based-log-processor';
import { ensureDiagLogger } from './ensure-diag-logger';
import { tryCreateAutoCollection, type AutoCollectionSetup } from './live-metrics/create-auto-collection';
import { patchLoadedBuiltins } from './patch-loaded-builtins';
import { registerFunctionsHook } from './register-functions-hook';
import { resolveDistroConfig, withFileSettings, type DistroConfig } from './resolve-distro-config';
import { resolveMetricIntervalMillis } from './resolve-metric-interval';
import { resolveSignalExports, type SignalExports } from './resolve-signal-exports';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 30_000;
const USER_AGENT_PREFIX = 'appinsights-otel-distro';
const CRASH_LOGGER_NAME = '@appinsights-otel/distro';

/** What one `useAzureMonitor()` call set up, so `shutdownAzureMonitor()` can undo exactly that. */
interface ActiveSetup {
  readonly tracerProvider: NodeTracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** Live Metrics, performance counters, standard metrics (when export is on). */
  readonly autoCollection?: AutoCollectionSetup;
  readonly unloadInstrumentations: () => void;
  readonly removeFunctionsHook: (() => void) | undefined;
  readonly registered: { trace: boolean; metrics: boolean; logs: boolean; context: boolean; propagation: boolean };
  readonly installedDiagLogger: boolean;
}

let active: ActiveSetup | undefined;

/**
 * Sets up OpenTelemetry for Application Insights in one call: tracing (NodeTracerProvider,
 * Application Insights-compatible sampling, batch export), metrics (periodic export) and logs
 * (batch export), each registered as the global provider, with the AsyncLocalStorage context
 * manager, the W3C trace-context and baggage propagators, and HTTP instrumentation.
 *
 * Configuration comes from `options`, then the environment, then the configuration file (see
 * docs/configuration.md). This function never throws and makes no network call: a missing or
 * malformed connection string is logged once (through the OpenTelemetry diag logger) and
 * turns export off; a global provider registered by someone else is reported and left in place.
 * Call it once, as early as possible (before the modules you want instrumented are loaded).
 *
 * @param options - See {@link AzureMonitorOptions}; all optional.
 */
export function useAzureMonitor(options: AzureMonitorOptions = {}): void {
  const installedDiagLogger = ensureDiagLogger();
  if (active !== undefined) {
    log.warn('useAzureMonitor() was already called; this call is ignored. Call shutdownAzureMonitor() first to set it up again with other options.');
    return;
  }
  try {
    active = setUp(options, installedDiagLogger);
  } catch (error: unknown) {
    log.error(`useAzureMonitor() could not set up OpenTelemetry; telemetry is off: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Flushes and shuts down what {@link useAzureMonitor} set up (traces, metrics and logs, in
 * parallel), unregisters its global providers and instrumentations, and resolves within
 * `timeoutMillis` even if ingestion does not answer (unsent telemetry stays in the offline queue
 * when it is enabled). Never rejects; problems are logged.
 *
 * @param timeoutMillis - Upper bound for the whole shutdown. Default 30 000.
 */
export async function shutdownAzureMonitor(timeoutMillis: number = DEFAULT_SHUTDOWN_TIMEOUT_MILLIS): Promise<void> {
  const setup = active;
  if (setup === undefined) return;
  active = undefined;
  setup.unloadInstrumentations();
  setup.removeFunctionsHook?.();
  const work = Promise.allSettled([
    setup.tracerProvider.shutdown(),
    setup.meterProvider.shutdown(),
    setup.loggerProvider.shutdown(),
    setup.autoCollection?.shutdown(),
  ]).then((results) => {
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') {
        log.warn(`shutting down ${['traces', 'metrics', 'logs', 'live metrics'][i]} failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
      }
    }
  });
  const outcome = await withTimeout(work, timeoutMillis);
  if (outcome === 'timeout') log.warn(`shutdownAzureMonitor() did not finish within ${timeoutMillis} ms; unsent telemetry stays queued when offline storage is on`);
  unregister(setup);
}

/**
 * Flushes what {@link useAzureMonitor} set up (traces, metrics and logs, in parallel) without shutting
 * it down; resolves within `timeoutMillis` and never rejects.
 *
 * @param timeoutMillis - Upper bound for the flush.
 */
export async function flushAzureMonitor(timeoutMillis: number): Promise<void> {
  const setup = active;
  if (setup === undefined) return;
  const work = Promise.allSettled([setup.tracerProvider.forceFlush(), setup.meterProvider.forceFlush(), setup.loggerProvider.forceFlush()]);
  await withTimeout(work, timeoutMillis);
}

/**
 * Records an uncaught exception as an Application Insights exception (a FATAL log record with the
 * `exception.*` attributes), in the failing operation when its trace is sampled. Queues only; flush
 * to send it. Does nothing before {@link useAzureMonitor} or after shutdown.
 *
 * @param error - What was thrown.
 * @param origin - `uncaughtException` or `unhandledRejection`.
 */
export function recordUncaughtException(error: unknown, origin: string = 'uncaughtException'): void {
  const setup = active;
  if (setup === undefined) return;
  // Anything can be thrown; a value JSON cannot hold (a cycle, a BigInt) must not lose the crash.
  const err = error instanceof Error ? error : new Error(attributeValueToString(error) ?? String(error));
  const current = context.active();
  const spanContext = trace.getSpanContext(current);
  const sampled = spanContext !== undefined && (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
  setup.loggerProvider.getLogger(CRASH_LOGGER_NAME).emit({
    severityNumber: SeverityNumber.FATAL,
    severityText: 'FATAL',
    body: origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception',
    attributes: {
      'exception.type': err.name,
      'exception.message': err.message,
      ...(err.stack !== undefined ? { 'exception.stacktrace': err.stack } : {}),
    },
    context: sampled ? current : ROOT_CONTEXT, // a crash is never dropped by trace-based log sampling
  });
}

async function withTimeout(work: Promise<unknown>, timeoutMillis: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  const outcome = await Promise.race([work.then(() => 'done' as const), timeout]);
  clearTimeout(timer);
  return outcome;
}

function setUp(givenOptions: AzureMonitorOptions, installedDiagLogger: boolean): ActiveSetup {
  const config = resolveDistroConfig(givenOptions);
  for (const warning of config.warnings) log.warn(warning);
  const options = withFileSettings(givenOptions, config.fileSettings);
  const signals = resolveSignalExports(givenOptions, process.env, config.fileSettings);
  for (const warning of signals.warnings) log.warn(warning);
  const exporters = config.exportEnabled ? createExporters(options, config, signals) : undefined;
  if (!config.exportEnabled) log.error(config.reason);
  else if (exporters === undefined) log.error('Application Insights exporters could not be created; telemetry export is off (see the error above)');
  else describeSetup(config, signals);

  const { resource, warnings: resourceWarnings } = createResource(options.resource);
  for (const warning of resourceWarnings) log.warn(warning);
  const sampling = createSampler(givenOptions, process.env, config.fileSettings);
  for (const warning of sampling.warnings) log.warn(warning);
  const auto = exporters && config.exportEnabled ? tryCreateAutoCollection({
    exporterOptions: { connectionString: config.connectionString, ...(config.credential !== undefined ? { credential: config.credential } : {}), ...(options.audience !== undefined ? { audience: options.audience } : {}), userAgentPrefix: USER_AGENT_PREFIX },
    switches: options,
    fileSwitches: config.fileSettings,
    resource,
    exportMetrics: exporters.metric !== undefined,
    ...(typeof resource.attributes['service.name'] === 'string' ? { roleName: resource.attributes['service.name'] } : {}),
    mappingOptions: {
      ...(options.successOverride !== undefined ? { successOverride: options.successOverride } : {}),
      ...(options.requestNameSource !== undefined ? { requestNameSource: options.requestNameSource } : {}),
    },
  }) : undefined;

  const tracerProvider = new NodeTracerProvider({
    resource,
    sampler: auto ? auto.wrapSampler(sampling.sampler) : sampling.sampler,
    spanProcessors: [
      ...(auto ? auto.spanProcessors(options.spanProcessors ?? []) : options.spanProcessors ?? []),
      ...(exporters?.trace ? [new BatchSpanProcessor(exporters.trace)] : []),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    views: options.views ?? [],
    readers: [
      ...(options.metricReaders ?? []),
      ...(exporters?.metric
        ? [new PeriodicExportingMetricReader({
          exporter: exporters.metric,
          exportIntervalMillis: resolveMetricIntervalMillis(givenOptions.metricExportIntervalMillis, process.env, config.fileSettings.metricExportIntervalMillis),
          ...(auto?.metricProducer ? { metricProducers: [auto.metricProducer] } : {}),
        })]
        : []),
    ],
  });
  let logProcessor: LogRecordProcessor | undefined = exporters?.logs ? new BatchLogRecordProcessor({ exporter: exporters.logs }) : undefined;
  if (logProcessor !== undefined && options.traceBasedLogSampling !== false) logProcessor = createTraceBasedLogProcessor(logProcessor, sampling.percentage);
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [...(options.logRecordProcessors ?? []), ...(auto?.logRecordProcessors ?? []), ...(logProcessor ? [logProcessor] : [])],
  });
  auto?.start();

  const registered = registerGlobals(tracerProvider, meterProvider, loggerProvider);
  const instrumentations = createInstrumentations(options.instrumentationOptions, ownOrigins(config));
  const unloadInstrumentations = registerInstrumentations({
    instrumentations,
    ...(registered.trace ? { tracerProvider } : {}),
    ...(registered.metrics ? { meterProvider } : {}),
    ...(registered.logs ? { loggerProvider } : {}),
  });
  if (instrumentations.length > 0) patchLoadedBuiltins();
  const removeFunctionsHook = registerFunctionsHook();
  return {
    tracerProvider, meterProvider, loggerProvider, ...(auto ? { autoCollection: auto } : {}), unloadInstrumentations, removeFunctionsHook, registered, installedDiagLogger,
  };
}

/** The exporters of the signals that are exported. */
interface Exporters {
  readonly trace?: SpanExporter;
  readonly metric?: PushMetricExporter;
  readonly logs?: LogRecordExporter;
}

function createExporters(options: AzureMonitorOptions, config: Extract<DistroConfig, { exportEnabled: true }>, signals: SignalExports): Exporters | undefined {
  const exporterOptions = {
    connectionString: config.connectionString,
    ...(config.credential !== undefined ? { credential: config.credential } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    ...(options.storageDirectory !== undefined ? { storageDirectory: options.storageDirectory } : {}),
    ...(options.disableOfflineStorage !== undefined ? { disableOfflineStorage: options.disableOfflineStorage } : {}),
    ...(options.beforeExport !== undefined ? { beforeExport: options.beforeExport } : {}),
    ...(options.persistBeforeSend !== undefined ? { persistBeforeSend: options.persistBeforeSend } : {}),
    userAgentPrefix: USER_AGENT_PREFIX,
  };
  try {
    return {
      ...(signals.traces
        ? {
          trace: new AzureMonitorTraceExporter({
            ...exporterOptions,
            ...(options.successOverride !== undefined ? { successOverride: options.successOverride } : {}),
            ...(options.requestNameSource !== undefined ? { requestNameSource: options.requestNameSource } : {}),
          }),
        }
        : {}),
      ...(signals.metrics ? { metric: new AzureMonitorMetricExporter(exporterOptions) } : {}),
      ...(signals.logs ? { logs: new AzureMonitorLogExporter(exporterOptions) } : {}),
    };
  } catch (error: unknown) {
    log.error(`Application Insights export is off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function describeSetup(config: Extract<DistroConfig, { exportEnabled: true }>, signals: SignalExports): void {
  const ikey = `${config.parsed.instrumentationKey.slice(0, 8)}...`;
  const credential = config.credential === undefined
    ? 'no Microsoft Entra ID credential (instrumentation-key ingestion; resources with local authentication disabled will refuse it)'
    : `Microsoft Entra ID credential from ${config.credentialSource}`;
  log.info(`sending to Application Insights ${ikey} at ${config.parsed.ingestionEndpoint} with ${credential}`);
  const off = (['traces', 'metrics', 'logs'] as const).filter((signal) => !signals[signal]);
  if (off.length > 0) log.info(`not exported to Application Insights (turned off): ${off.join(', ')}`);
}

function registerGlobals(tracerProvider: NodeTracerProvider, meterProvider: MeterProvider, loggerProvider: LoggerProvider): ActiveSetup['registered'] {
  const registered = {
    trace: trace.setGlobalTracerProvider(tracerProvider),
    metrics: metrics.setGlobalMeterProvider(meterProvider),
    logs: logs.setGlobalLoggerProvider(loggerProvider) === loggerProvider,
    context: context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()),
    propagation: propagation.setGlobalPropagator(new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    })),
  };
  const clash = (['trace', 'metrics', 'logs'] as const).filter((signal) => !registered[signal]);
  if (clash.length > 0) {
    log.warn(`another OpenTelemetry SDK already registered the global ${clash.join(', ')} provider(s); useAzureMonitor() left them in place, `
      + 'so that telemetry from the global API will not reach Application Insights. Set up OpenTelemetry once: call useAzureMonitor() '
      + 'instead of (not in addition to) the other setup, or add the Azure Monitor exporters to it.');
    if (!registered.trace) void tracerProvider.shutdown().catch(() => undefined);
    if (!registered.metrics) void meterProvider.shutdown().catch(() => undefined);
    if (!registered.logs) void loggerProvider.shutdown().catch(() => undefined);
  }
  if (!registered.context) log.debug('a context manager was already registered; keeping it');
  if (!registered.propagation) log.debug('a propagator was already registered; keeping it');
  return registered;
}

function unregister(setup: ActiveSetup): void {
  if (setup.registered.trace) trace.disable();
  if (setup.registered.metrics) metrics.disable();
  if (setup.registered.logs) logs.disable();
  if (setup.registered.context) context.disable();
  if (setup.registered.propagation) propagation.disable();
  if (setup.installedDiagLogger) diag.disable();
}

/** Origins whose outgoing requests are the exporter's own (not traced). */
function ownOrigins(config: DistroConfig): string[] {
  const origins: string[] = [];
  if (config.exportEnabled) {
    origins.push(config.parsed.ingestionEndpoint);
    if (config.parsed.liveEndpoint !== undefined) origins.push(config.parsed.liveEndpoint);
  }
  for (const name of ['IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'AZURE_AUTHORITY_HOST']) {
    const value = process.env[name];
    if (value !== undefined && value.trim() !== '') origins.push(value.trim());
  }
  origins.push('https://login.microsoftonline.com');
  return origins;
}
