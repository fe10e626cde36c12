import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** Which globals this setup registered (so shutdown unregisters exactly those). */
export interface RegisteredGlobals {
  readonly trace: boolean;
  readonly metrics: boolean;
  readonly logs: boolean;
  readonly context: boolean;
  readonly propagation: boolean;
}

/**
 * Registers the three providers, the AsyncLocalStorage context manager and the W3C trace-context
 * and baggage propagators as the OpenTelemetry globals. A provider someone else registered first
 * stays (one warning; ours is shut down).
 */
export function registerGlobals(tracerProvider: NodeTracerProvider, meterProvider: MeterProvider, loggerProvider: LoggerProvider): RegisteredGlobals {
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

/** Undoes {@link registerGlobals} (and the diag logger, when the distro installed it). */
export function unregisterGlobals(registered: RegisteredGlobals, installedDiagLogger: boolean): void {
  if (registered.trace) trace.disable();
  if (registered.metrics) metrics.disable();
  if (registered.logs) logs.disable();
  if (registered.context) context.disable();
  if (registered.propagation) propagation.disable();
  if (installedDiagLogger) diag.disable();
}
