import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';

const API_GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

const LEVELS: ReadonlyMap<string, DiagLogLevel> = new Map([
  ['none', DiagLogLevel.NONE], ['error', DiagLogLevel.ERROR], ['warn', DiagLogLevel.WARN], ['info', DiagLogLevel.INFO],
  ['debug', DiagLogLevel.DEBUG], ['verbose', DiagLogLevel.VERBOSE], ['all', DiagLogLevel.ALL],
]);

/**
 * Makes sure configuration errors reach the user: when the application has not set an
 * OpenTelemetry diag logger, installs OTel's console diag logger at `OTEL_LOG_LEVEL` (default
 * `warn`). An application-provided logger is never replaced.
 *
 * @returns `true` when this call installed the logger (so shutdown can remove it again).
 */
export function ensureDiagLogger(env: NodeJS.ProcessEnv = process.env): boolean {
  if (hasDiagLogger()) return false;
  const level = LEVELS.get(env['OTEL_LOG_LEVEL']?.trim().toLowerCase() ?? '') ?? DiagLogLevel.WARN;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
  return true;
}

/** Whether some code already registered a diag logger with the OpenTelemetry API. */
function hasDiagLogger(): boolean {
  const registry = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[API_GLOBAL_KEY];
  return registry?.diag !== undefined;
}
