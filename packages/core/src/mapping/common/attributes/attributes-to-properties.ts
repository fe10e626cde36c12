import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { attributeValueToString } from './attribute-value-to-string';
import { truncateString } from '../limits/truncate-string';

/**
 * Attribute entries -> `properties`: keys cut to 150 characters, values serialised (see
 * `attributeValueToString`) and cut to 8192 characters; undefined and null values skipped. When two
 * keys collide after truncation the first one wins.
 */
export function attributesToProperties(entries: Iterable<[string, unknown]>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [rawKey, rawValue] of entries) putProperty(properties, rawKey, rawValue);
  return properties;
}

/** Adds one attribute to `properties` as {@link attributesToProperties} does (an existing key wins). */
export function putProperty(properties: Record<string, string>, rawKey: string, rawValue: unknown): void {
  const value = attributeValueToString(rawValue);
  if (value === undefined) return;
  const key = truncateString(rawKey, SERVICE_LIMITS.PROPERTY_KEY_MAX_CHARS);
  if (Object.hasOwn(properties, key)) return;
  properties[key] = truncateString(value, SERVICE_LIMITS.PROPERTY_VALUE_MAX_CHARS);
}
