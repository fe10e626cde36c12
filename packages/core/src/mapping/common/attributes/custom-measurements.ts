import { diag } from '@opentelemetry/api';
import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { parseJsonObject } from './parse-json-object';
import { truncateString } from '../limits/truncate-string';

/**
 * A `microsoft.custom_measurements` value (or a `measurements` field of a structured log body) ->
 * `measurements`: an object, or a JSON string holding one (span attributes cannot hold maps). Only
 * finite numbers are kept; other entries, and values that are not objects, are left out (one
 * `diag.debug` line), never thrown. Keys are cut to 150 characters (first wins on a collision).
 */
export function parseCustomMeasurements(value: unknown): Record<string, number> {
  const measurements: Record<string, number> = {};
  const source = parseJsonObject(value);
  if (source === undefined) {
    if (value !== undefined) diag.debug('custom measurements ignored: expected an object of numbers (or its JSON)');
    return measurements;
  }
  for (const [rawKey, raw] of Object.entries(source)) {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) continue;
    const key = truncateString(rawKey, SERVICE_LIMITS.PROPERTY_KEY_MAX_CHARS);
    if (!Object.hasOwn(measurements, key)) measurements[key] = raw;
  }
  return measurements;
}

/** `measurements` only when non-empty, for spreading into base data. */
export function optionalMeasurements(measurements: Record<string, number>): { measurements?: Record<string, number> } {
  return Object.keys(measurements).length > 0 ? { measurements } : {};
}
