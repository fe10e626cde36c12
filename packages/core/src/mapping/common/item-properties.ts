import { INTERNAL_ATTRIBUTE_PREFIXES, PUBLIC_INTERNAL_ATTRIBUTES } from './attribute-keys';
import type { AttributeReader } from './attribute-reader';
import { attributesToProperties } from './attributes-to-properties';

/**
 * Availability attributes of a record that is not a complete availability result are kept as
 * properties: dropping them would lose the test's data without a trace.
 */
const KEPT_INTERNAL_PREFIX = 'microsoft.availability.';

/**
 * Whether an attribute is an instruction to the exporter (`microsoft.*`, `_MS.*`) rather than data:
 * such attributes never become properties, except `_MS.ProcessedByMetricExtractors` and
 * unconsumed `microsoft.availability.*` attributes.
 */
export function isInternalAttribute(key: string): boolean {
  if (!INTERNAL_ATTRIBUTE_PREFIXES.some((prefix) => key.startsWith(prefix))) return false;
  return !key.startsWith(KEPT_INTERNAL_PREFIX) && !PUBLIC_INTERNAL_ATTRIBUTES.includes(key);
}

/** The attributes `reader` has not consumed, minus internal ones, as `properties`. */
export function itemProperties(reader: AttributeReader): Record<string, string> {
  const entries = reader.remaining();
  let publicEntries: [string, unknown][] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as [string, unknown];
    if (isInternalAttribute(entry[0])) publicEntries ??= entries.slice(0, i);
    else publicEntries?.push(entry);
  }
  return attributesToProperties(publicEntries ?? entries);
}
