import { format } from 'node:util';
import { context, diag } from '@opentelemetry/api';
import { logs, SeverityNumber, type LoggerProvider } from '@opentelemetry/api-logs';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';

/** The name this instrumentation reports (`instrumentationName`). */
const CONSOLE_INSTRUMENTATION_NAME = '@appinsights-otel/instrumentation-console';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

const SEVERITIES: ReadonlyArray<[ConsoleMethod, SeverityNumber, string]> = [
  ['debug', SeverityNumber.DEBUG, 'DEBUG'],
  ['log', SeverityNumber.INFO, 'INFO'],
  ['info', SeverityNumber.INFO, 'INFO'],
  ['warn', SeverityNumber.WARN, 'WARN'],
  ['error', SeverityNumber.ERROR, 'ERROR'],
];

/**
 * Console log bridge (opt-in): each `console.log/info/warn/error/debug` call still prints, and also
 * becomes a log record (the formatted message, with the active trace context). Calls made while the
 * SDK exports (tracing suppressed) or from inside a bridged call are not recorded, so diagnostics
 * of the exporter can never feed back into telemetry.
 *
 * @param target - The console to patch (default: the global one).
 */
export function createConsoleInstrumentation(target: Console = console): Instrumentation {
  let config: InstrumentationConfig = { enabled: false }; // registerInstrumentations() enables it
  let provider: LoggerProvider | undefined;
  const originals = new Map<ConsoleMethod, Console[ConsoleMethod]>();
  let emitting = false;

  function bridge(method: ConsoleMethod, severityNumber: SeverityNumber, severityText: string): Console[ConsoleMethod] {
    const original = target[method];
    return function bridged(this: Console, ...args: unknown[]): void {
      original.apply(this, args);
      if (emitting || isTracingSuppressed(context.active())) return;
      emitting = true;
      try {
        (provider ?? logs.getLoggerProvider()).getLogger(CONSOLE_INSTRUMENTATION_NAME).emit({
          body: format(...args), severityNumber, severityText, attributes: { 'log.source': `console.${method}` },
        });
      } catch (error: unknown) {
        diag.debug(`console bridge: ${String(error)}`);
      } finally {
        emitting = false;
      }
    };
  }

  return {
    instrumentationName: CONSOLE_INSTRUMENTATION_NAME,
    instrumentationVersion: '1.0.0',
    enable() {
      config = { ...config, enabled: true };
      if (originals.size > 0) return;
      for (const [method, severityNumber, severityText] of SEVERITIES) {
        originals.set(method, target[method]);
        target[method] = bridge(method, severityNumber, severityText);
      }
    },
    disable() {
      config = { ...config, enabled: false };
      for (const [method, original] of originals) target[method] = original;
      originals.clear();
    },
    setTracerProvider() { /* logs only */ },
    setMeterProvider() { /* logs only */ },
    setLoggerProvider(loggerProvider) { provider = loggerProvider; },
    setConfig(next) { config = { ...next }; },
    getConfig: () => config,
  };
}
