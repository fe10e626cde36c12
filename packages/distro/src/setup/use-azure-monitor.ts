import { context, diag, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { attributeValueToString } from '@appinsights-otel/core';
import type { AzureMonitorOptions } from '../config/azure-monitor-options';
import { resolveExportTarget } from '../config/resolve-export-target';
import { resolveSettings, type ResolvedSettings } from '../config/resolve-settings';
import { ensureDiagLogger } from './ensure-diag-logger';
import { unregisterGlobals } from './register-globals';
import { setUpSignals, type SignalsSetup } from './set-up-signals';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 30_000;
const CRASH_LOGGER_NAME = '@appinsights-otel/distro';

/** What one `useAzureMonitor()` call set up, so `shutdownAzureMonitor()` can undo exactly that. */
interface ActiveSetup extends SignalsSetup {
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
 * docs/configuration.md), resolved once into frozen settings (`resolveSettings`); nothing after
 * that reads the environment. This function never throws and makes no network call: a missing or
 * malformed connection string is logged once (through the OpenTelemetry diag logger) and
 * turns export off; a global provider registered by someone else is reported and left in place.
 * Call it once, as early as possible (before the modules you want instrumented are loaded).
 *
 * @param options - See {@link AzureMonitorOptions}; all optional.
 */
export function useAzureMonitor(options: AzureMonitorOptions = {}): void {
  const resolved: ResolvedSettings = resolveSettings(options, process.env);
  const installedDiagLogger = ensureDiagLogger(resolved.settings.logLevel);
  if (active !== undefined) {
    log.warn('useAzureMonitor() was already called; this call is ignored. Call shutdownAzureMonitor() first to set it up again with other options.');
    return;
  }
  try {
    for (const warning of resolved.warnings) log.warn(warning);
    active = { ...setUpSignals(resolved.settings, resolveExportTarget(resolved)), installedDiagLogger };
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
  unregisterGlobals(setup.registered, setup.installedDiagLogger);
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

