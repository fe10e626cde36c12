import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';

const API_GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

/** The `OTEL_LOG_LEVEL` values, by name. */
export const LOG_LEVELS: ReadonlyMap<string, DiagLogLevel> = new Map([
  ['none', DiagLogLevel.NONE], ['error', DiagLogLevel.ERROR], ['warn', DiagLogLevel.WARN], ['info', DiagLogLevel.INFO],
  ['debug', DiagLogLevel.DEBUG], ['verbose', DiagLogLevel.VERBOSE], ['all', DiagLogLevel.ALL],
]);

/**
 * Makes sure configuration errors reach the user: when the application has not set an
 * OpenTelemetry diag logger, installs OTel's console diag logger at `level` (the `OTEL_LOG_LEVEL`
 * setting, default `warn`). An application-provided logger is never replaced.
 *
 * @param level - The level of the console logger.
 * @returns `true` when this call installed the logger (so shutdown can remove it again).
 */
export function ensureDiagLogger(level: DiagLogLevel): boolean {
  if (hasDiagLogger()) return false;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
  return true;
}

/** Whether some code already registered a diag logger with the OpenTelemetry API. */
function hasDiagLogger(): boolean {
  const registry = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[API_GLOBAL_KEY];
  return registry?.diag !== undefined;
}
