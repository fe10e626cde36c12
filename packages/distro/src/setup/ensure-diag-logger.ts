import { diag, DiagConsoleLogger, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { createFileDiagLogger } from './create-file-diag-logger';

const API_GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

/** The `OTEL_LOG_LEVEL` values, by name. */
export const LOG_LEVELS: ReadonlyMap<string, DiagLogLevel> = new Map([
  ['none', DiagLogLevel.NONE], ['error', DiagLogLevel.ERROR], ['warn', DiagLogLevel.WARN], ['info', DiagLogLevel.INFO],
  ['debug', DiagLogLevel.DEBUG], ['verbose', DiagLogLevel.VERBOSE], ['all', DiagLogLevel.ALL],
]);

/** Where the distro's own diag logger writes (`APPLICATIONINSIGHTS_LOG_DESTINATION`). */
export interface DiagDestination {
  readonly console: boolean;
  /** The directory of `applicationinsights.log`, when lines go to a file. */
  readonly directory?: string;
}

/**
 * Makes sure configuration errors reach the user: when the application has not set an
 * OpenTelemetry diag logger, installs one at `level` (the `OTEL_LOG_LEVEL` setting, default
 * `warn`) writing to the console, to `applicationinsights.log` in a directory, or both
 * (`APPLICATIONINSIGHTS_LOG_DESTINATION`). An application-provided logger is never replaced.
 *
 * @param level - The level of the logger.
 * @param destination - Where it writes (default: the console).
 * @returns `true` when this call installed the logger (so shutdown can remove it again).
 */
export function ensureDiagLogger(level: DiagLogLevel, destination: DiagDestination = { console: true }): boolean {
  if (hasDiagLogger()) return false;
  diag.setLogger(loggerFor(destination), { logLevel: level, suppressOverrideMessage: true });
  return true;
}

function loggerFor(destination: DiagDestination): DiagLogger {
  const console = new DiagConsoleLogger();
  if (destination.directory === undefined) return console;
  const file = createFileDiagLogger(destination.directory, console);
  if (!destination.console) return file;
  const both = (name: keyof DiagLogger) => (message: string, ...args: unknown[]): void => { file[name](message, ...args); console[name](message, ...args); };
  return { error: both('error'), warn: both('warn'), info: both('info'), debug: both('debug'), verbose: both('verbose') };
}

/** Whether some code already registered a diag logger with the OpenTelemetry API. */
function hasDiagLogger(): boolean {
  const registry = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[API_GLOBAL_KEY];
  return registry?.diag !== undefined;
}
