import type { SeverityLevel } from '../../contracts/message-data';

/** Upper bounds (inclusive) of the OTel severity-number ranges, with their Application Insights level. */
const LEVEL_BY_SEVERITY_NUMBER: readonly [number, SeverityLevel][] = [
  [8, 'Verbose'], // TRACE 1-4, DEBUG 5-8
  [12, 'Information'], // INFO 9-12
  [16, 'Warning'], // WARN 13-16
  [20, 'Error'], // ERROR 17-20
  [24, 'Critical'], // FATAL 21-24
];

const LEVEL_BY_SEVERITY_TEXT: Readonly<Record<string, SeverityLevel>> = {
  trace: 'Verbose',
  debug: 'Verbose',
  verbose: 'Verbose',
  info: 'Information',
  information: 'Information',
  notice: 'Information',
  warn: 'Warning',
  warning: 'Warning',
  error: 'Error',
  err: 'Error',
  fatal: 'Critical',
  critical: 'Critical',
  crit: 'Critical',
  alert: 'Critical',
  emergency: 'Critical',
};

/**
 * OTel severity -> Application Insights level: `severityNumber` 1-8 Verbose, 9-12 Information,
 * 13-16 Warning, 17-20 Error, 21-24 Critical; otherwise `severityText` (case-insensitive:
 * trace/debug, info, warn(ing), error, fatal/critical...); otherwise undefined.
 */
export function severityToLevel(severityNumber: number | undefined, severityText: string | undefined): SeverityLevel | undefined {
  if (severityNumber !== undefined && severityNumber >= 1) {
    const match = LEVEL_BY_SEVERITY_NUMBER.find(([upper]) => severityNumber <= upper);
    if (match) return match[1];
  }
  return severityText === undefined ? undefined : LEVEL_BY_SEVERITY_TEXT[severityText.trim().toLowerCase()];
}
