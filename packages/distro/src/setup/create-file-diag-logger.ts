import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagLogger } from '@opentelemetry/api';

/** The diag log file's name, as the official distro names it. */
const DIAG_LOG_FILE_NAME = 'applicationinsights.log';

/** Past this size the file is moved to `<name>.1` (one backup kept) and a new one started. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * A diag logger that appends one line per message to `<directory>/applicationinsights.log`
 * (`APPLICATIONINSIGHTS_LOG_DESTINATION=file`), keeping one backup past 1 MiB. Diag lines are
 * rare (warnings and errors by default), so each is written synchronously: nothing is lost when
 * the process ends right after. When the file cannot be written, the line goes to `fallback`
 * (with the reason, once) instead of being lost.
 *
 * @param directory - Created when missing.
 * @param fallback - Where lines go when the file cannot be written (the console logger).
 */
export function createFileDiagLogger(directory: string, fallback: DiagLogger): DiagLogger {
  const path = join(directory, DIAG_LOG_FILE_NAME);
  let broken = false;
  const write = (level: string, fallbackWrite: (message: string, ...args: unknown[]) => void) => (message: string, ...args: unknown[]): void => {
    if (broken) { fallbackWrite(message, ...args); return; }
    const line = `${new Date().toISOString()} ${level} ${[message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' ')}\n`;
    try {
      mkdirSync(directory, { recursive: true });
      if (sizeOf(path) + line.length > MAX_FILE_BYTES) renameSync(path, `${path}.1`);
      appendFileSync(path, line);
    } catch (error: unknown) {
      broken = true;
      fallback.warn(`cannot write the diag log file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); logging to the console instead`);
      fallbackWrite(message, ...args);
    }
  };
  return {
    error: write('ERROR', (m, ...a) => fallback.error(m, ...a)),
    warn: write('WARN', (m, ...a) => fallback.warn(m, ...a)),
    info: write('INFO', (m, ...a) => fallback.info(m, ...a)),
    debug: write('DEBUG', (m, ...a) => fallback.debug(m, ...a)),
    verbose: write('VERBOSE', (m, ...a) => fallback.verbose(m, ...a)),
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
