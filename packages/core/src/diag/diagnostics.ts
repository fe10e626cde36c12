import { diag, type DiagLogger } from '@opentelemetry/api';
import type { DiagnosticEvent } from './diagnostic-event';

/** Minimum spacing of two log lines for the same cause. */
export const DIAGNOSTIC_INTERVAL_MILLIS = 10 * 60_000;
const MAX_TRACKED_CAUSES = 200;

/** Rate-limited sink for failure diagnostics. */
export interface Diagnostics {
  /** Logs the event at its level the first time its cause is seen, then at most once per interval. */
  report(event: DiagnosticEvent): void;
}

/** Options of `createDiagnostics`. */
export interface DiagnosticsOptions {
  /** Where lines go (default: the `@appinsights-otel/core/transport` diag component logger). */
  readonly logger?: DiagLogger;
  /** Clock (injectable for tests; default Date.now). */
  readonly nowMillis?: () => number;
  /** Minimum spacing per cause (default 10 minutes). */
  readonly intervalMillis?: number;
}

interface CauseState {
  lastLoggedMillis: number;
  suppressed: number;
}

/**
 * Creates a diagnostics sink: each distinct cause is logged once, at once, then at most once per
 * `intervalMillis`, with the number of occurrences suppressed meanwhile; suppressed occurrences go
 * to `debug`.
 */
export function createDiagnostics(options: DiagnosticsOptions = {}): Diagnostics {
  const logger = options.logger ?? diag.createComponentLogger({ namespace: '@appinsights-otel/core/transport' });
  const now = options.nowMillis ?? Date.now;
  const interval = options.intervalMillis ?? DIAGNOSTIC_INTERVAL_MILLIS;
  const causes = new Map<string, CauseState>();
  return {
    report(event: DiagnosticEvent): void {
      const at = now();
      const state = causes.get(event.causeKey);
      if (state && at - state.lastLoggedMillis < interval) {
        state.suppressed++;
        logger.debug(event.message);
        return;
      }
      const suppressed = state?.suppressed ?? 0;
      const note = suppressed > 0 ? ` (${suppressed} more like this since the last report)` : '';
      causes.delete(event.causeKey);
      causes.set(event.causeKey, { lastLoggedMillis: at, suppressed: 0 });
      if (causes.size > MAX_TRACKED_CAUSES) {
        const oldest = causes.keys().next().value;
        if (oldest !== undefined) causes.delete(oldest);
      }
      logger[event.level](`${event.message}${note}`);
    },
  };
}
