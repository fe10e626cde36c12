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
/** Shutdowns of setups a later `useAzureMonitor()` call replaced, still flushing. */
let retiring: Promise<void> = Promise.resolve();

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
 * Call it as early as possible (before the modules you want instrumented are loaded).
 *
 * Calling it again re-initialises (as the official distro does from 1.19): the previous setup's
 * instrumentations and globals are removed at once, its telemetry is flushed and it is shut down in
 * the background (`shutdownAzureMonitor()` waits for that too), and the new options apply.
 *
 * @param options - See {@link AzureMonitorOptions}; all optional.
 */
export function useAzureMonitor(options: AzureMonitorOptions = {}): void {
  const resolved: ResolvedSettings = resolveSettings(options, process.env);
  const previous = active;
  active = undefined;
  if (previous !== undefined) retire(previous);
  const installedDiagLogger = ensureDiagLogger(resolved.settings.logLevel, resolved.settings.diagDestination);
  if (previous !== undefined) log.info('useAzureMonitor() called again: the previous setup is flushed and shut down, and these options apply');
  try {
    for (const warning of resolved.warnings) log.warn(warning);
    active = { ...setUpSignals(resolved.settings, resolveExportTarget(resolved)), installedDiagLogger };
  } catch (error: unknown) {
    log.error(`useAzureMonitor() could not set up OpenTelemetry; telemetry is off: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Flushes and shuts down what {@link useAzureMonitor} set up (traces, metrics and logs, in
 * parallel), disables its instrumentations and unregisters its global providers, and resolves
 * within `timeoutMillis` even if ingestion does not answer (unsent telemetry stays in the offline
 * queue when it is enabled). Also waits (within the same bound) for setups that a second
 * `useAzureMonitor()` call replaced. Never rejects; problems are logged.
 *
 * @param timeoutMillis - Upper bound for the whole shutdown. Default 30 000.
 */
export async function shutdownAzureMonitor(timeoutMillis: number = DEFAULT_SHUTDOWN_TIMEOUT_MILLIS): Promise<void> {
  const setup = active;
  active = undefined;
  if (setup !== undefined) detach(setup);
  const work = Promise.all([retiring, setup === undefined ? undefined : shutDownProviders(setup)]);
  retiring = Promise.resolve(); // waited for once: a replaced setup that never finishes does not hold up later calls
  const outcome = await withTimeout(work, timeoutMillis);
  if (outcome === 'timeout') log.warn(`shutdownAzureMonitor() did not finish within ${timeoutMillis} ms; unsent telemetry stays queued when offline storage is on`);
  if (setup !== undefined) unregisterGlobals(setup.registered, setup.installedDiagLogger);
}

/**
 * Takes a replaced setup out of the way at once (instrumentations off, hook removed, globals and
 * the diag logger it installed unregistered, so the next setup registers its own), then flushes
 * and shuts it down in the background.
 */
function retire(setup: ActiveSetup): void {
  detach(setup);
  unregisterGlobals(setup.registered, setup.installedDiagLogger);
  const done = shutDownProviders(setup);
  retiring = Promise.all([retiring, done]).then(() => undefined);
}

/** Disables the setup's instrumentations and removes its Azure Functions hook. */
function detach(setup: ActiveSetup): void {
  setup.unloadInstrumentations();
  setup.removeFunctionsHook?.();
}

/**
 * Flushes and shuts down the setup's providers and auto-collection, in parallel, then SDK Stats (so
 * the providers' last sends are counted in them); never rejects.
 */
async function shutDownProviders(setup: ActiveSetup): Promise<void> {
  const results = await Promise.allSettled([
    setup.tracerProvider.shutdown(),
    setup.meterProvider.shutdown(),
    setup.loggerProvider.shutdown(),
    setup.autoCollection?.shutdown(),
  ]);
  results.push(...await Promise.allSettled([setup.deliveryStats?.shutdown()]));
  for (const [i, result] of results.entries()) {
    if (result.status === 'rejected') {
      log.warn(`shutting down ${['traces', 'metrics', 'logs', 'live metrics', 'delivery statistics'][i]} failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
    }
  }
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
  // SDK Stats keep their own cadence (a flush per Functions invocation would multiply their rows).
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

