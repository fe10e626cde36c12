import type { AvailabilityData } from '../../contracts/availability-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR } from '../common/attributes/attribute-keys';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { parseBoolean } from '../common/attributes/parse-boolean';
import { parseTimeSpan } from '../common/time/parse-time-span';
import { truncateString } from '../common/limits/truncate-string';

/** The required facts of an availability result, before properties and measurements. */
export type AvailabilityFields = Omit<AvailabilityData, 'properties' | 'measurements'>;

/** Raw fields of an availability result, from attributes or a legacy body. */
export interface AvailabilityFacts {
  id: unknown;
  name: unknown;
  duration: unknown;
  success: unknown;
  runLocation?: unknown;
  message?: unknown;
}

const text = (value: unknown): string | undefined =>
  (typeof value === 'string' && value !== '') ? value : (typeof value === 'number' || typeof value === 'boolean') ? String(value) : undefined;

/**
 * Availability facts -> AvailabilityData fields, or undefined unless id, name, duration (TimeSpan or
 * milliseconds) and success (boolean or `true`/`false`) are all valid. Lengths are cut to the
 * schema: id 64, name and runLocation 1024, message 8192.
 */
export function toAvailabilityFields(facts: AvailabilityFacts): AvailabilityFields | undefined {
  const id = text(facts.id);
  const name = text(facts.name);
  const duration = parseTimeSpan(facts.duration);
  const success = parseBoolean(facts.success);
  if (id === undefined || name === undefined || duration === undefined || success === undefined) return undefined;
  const fields: AvailabilityFields = {
    ver: 2,
    id: truncateString(id, SERVICE_LIMITS.AVAILABILITY_ID_MAX_CHARS),
    name: truncateString(name, SERVICE_LIMITS.NAME_MAX_CHARS),
    duration,
    success,
  };
  const runLocation = text(facts.runLocation);
  if (runLocation !== undefined) fields.runLocation = truncateString(runLocation, SERVICE_LIMITS.NAME_MAX_CHARS);
  const message = text(facts.message);
  if (message !== undefined) fields.message = truncateString(message, SERVICE_LIMITS.AVAILABILITY_MESSAGE_MAX_CHARS);
  return fields;
}

/** Whether a record carries the required `microsoft.availability.*` attributes (it may still be invalid). */
function hasAvailabilityAttributes(reader: AttributeReader): boolean {
  return reader.has(ATTR.AVAILABILITY_ID) && reader.has(ATTR.AVAILABILITY_NAME)
    && reader.has(ATTR.AVAILABILITY_DURATION) && reader.has(ATTR.AVAILABILITY_SUCCESS);
}

/**
 * `microsoft.availability.*` attributes -> AvailabilityData fields, consuming them; undefined,
 * consuming nothing, when a required one is missing or invalid.
 */
export function readAvailabilityFields(reader: AttributeReader, attributes: Readonly<Record<string, unknown>>): AvailabilityFields | undefined {
  if (!hasAvailabilityAttributes(reader)) return undefined;
  const fields = toAvailabilityFields({
    id: attributes[ATTR.AVAILABILITY_ID[0]],
    name: attributes[ATTR.AVAILABILITY_NAME[0]],
    duration: attributes[ATTR.AVAILABILITY_DURATION[0]],
    success: attributes[ATTR.AVAILABILITY_SUCCESS[0]],
    runLocation: attributes[ATTR.AVAILABILITY_RUN_LOCATION[0]],
    message: attributes[ATTR.AVAILABILITY_MESSAGE[0]],
  });
  if (fields === undefined) return undefined;
  reader.consume([
    ...ATTR.AVAILABILITY_ID, ...ATTR.AVAILABILITY_NAME, ...ATTR.AVAILABILITY_DURATION, ...ATTR.AVAILABILITY_SUCCESS,
    ...ATTR.AVAILABILITY_RUN_LOCATION, ...ATTR.AVAILABILITY_MESSAGE, ...ATTR.AVAILABILITY_TEST_TIMESTAMP,
  ]);
  return fields;
}

/** `microsoft.availability.testTimestamp` as an ISO string when it is a valid date; undefined otherwise. */
export function availabilityTestTime(attributes: Readonly<Record<string, unknown>>): string | undefined {
  const raw = attributes[ATTR.AVAILABILITY_TEST_TIMESTAMP[0]];
  if (typeof raw !== 'string') return undefined;
  const millis = Date.parse(raw);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}
