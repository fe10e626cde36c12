import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

/** Lines logged through diag, by level. */
export interface LogCapture {
  readonly lines: { level: 'error' | 'warn' | 'info' | 'debug' | 'verbose'; message: string }[];
  of(level: 'error' | 'warn' | 'info' | 'debug' | 'verbose'): string[];
  restore(): void;
}

/** Capture diag output for the duration of a test. */
export function captureDiag(): LogCapture {
  const lines: LogCapture['lines'] = [];
  const push = (level: LogCapture['lines'][number]['level']) => (message: string, ...args: unknown[]): void => {
    lines.push({ level, message: [message, ...args.map(String)].join(' ') });
  };
  const logger: DiagLogger = { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug'), verbose: push('verbose') };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return {
    lines,
    of: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
    restore: () => diag.disable(),
  };
}
