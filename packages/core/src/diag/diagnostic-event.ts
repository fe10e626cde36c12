/** The telemetry signal an exporter carries. */
export type TelemetrySignal = 'traces' | 'metrics' | 'logs' | 'browser';

/** One loggable failure: a stable cause key (for rate limiting), a level and the line. */
export interface DiagnosticEvent {
  readonly causeKey: string;
  readonly level: 'error' | 'warn';
  readonly message: string;
}

/** Origin and path of a URL (no query, no credentials), for logs. */
export function urlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
