import { diag } from '@opentelemetry/api';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { truncateString } from './truncate-string';

/**
 * A `microsoft.custom_measurements` value (or a `measurements` field of a structured log body) ->
 * `measurements`: an object, or a JSON string holding one (span attributes cannot hold maps). Only
 * finite numbers are kept; other entries, and values that are not objects, are left out (one
 * `diag.debug` line), never thrown. Keys are cut to 150 characters (first wins on a collision).
 */
export function parseCustomMeasurements(value: unknown): Record<string, number> {
  const measurements: Record<string, number> = {};
  const source = typeof value === 'string' ? parseJsonObject(value) : value;
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    if (value !== undefined) diag.debug('custom measurements ignored: expected an object of numbers (or its JSON)');
    return measurements;
  }
  for (const [rawKey, raw] of Object.entries(source as Record<string, unknown>)) {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) continue;
    const key = truncateString(rawKey, SERVICE_LIMITS.PROPERTY_KEY_MAX_CHARS);
    if (!Object.hasOwn(measurements, key)) measurements[key] = raw;
  }
  return measurements;
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `measurements` only when non-empty, for spreading into base data. */
export function optionalMeasurements(measurements: Record<string, number>): { measurements?: Record<string, number> } {
  return Object.keys(measurements).length > 0 ? { measurements } : {};
}
