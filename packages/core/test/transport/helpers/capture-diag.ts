import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** Every line logged through the global diag API while installed, with its level. */
export interface DiagCapture {
  readonly lines: { level: string; text: string }[];
  /** All captured text, joined. */
  all(): string;
  uninstall(): void;
}

/** Installs a global diag logger at ALL that records every line. */
export function captureDiag(): DiagCapture {
  const lines: { level: string; text: string }[] = [];
  const record = (level: string) => (message: string, ...args: unknown[]): void => {
    lines.push({ level, text: [message, ...args.map((a) => (a instanceof Error ? `${a.message} ${String(a.cause)}` : JSON.stringify(a)))].join(' ') });
  };
  const logger: DiagLogger = {
    error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return { lines, all: () => lines.map((l) => l.text).join('\n'), uninstall: () => diag.disable() };
}

/** A logger that records lines, for injecting into createDiagnostics. */
export function recordingLogger(): DiagLogger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const record = (level: string) => (message: string): void => { lines.push({ level, text: message }); };
  return { lines, error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose') };
}
