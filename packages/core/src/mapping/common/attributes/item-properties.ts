import { GEN_AI_MAIN_AGENT_ATTRIBUTES, INTERNAL_ATTRIBUTE_PREFIXES, PUBLIC_INTERNAL_ATTRIBUTES } from './attribute-keys';
import type { AttributeReader } from './attribute-reader';
import { putProperty } from './attributes-to-properties';

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
  if (!hasInternalPrefix(key)) return false;
  return !key.startsWith(KEPT_INTERNAL_PREFIX) && !PUBLIC_INTERNAL_ATTRIBUTES.includes(key);
}

function hasInternalPrefix(key: string): boolean {
  for (let i = 0; i < INTERNAL_ATTRIBUTE_PREFIXES.length; i++) if (key.startsWith(INTERNAL_ATTRIBUTE_PREFIXES[i] as string)) return true;
  return false;
}

/** `isInternalAttribute` for span and span-event attributes: the gen_ai main-agent attributes are data there. */
export function isInternalSpanAttribute(key: string): boolean {
  return isInternalAttribute(key) && !GEN_AI_MAIN_AGENT_ATTRIBUTES.includes(key);
}

function putPublicProperty(properties: Record<string, string>, key: string, value: unknown): void {
  if (!isInternalAttribute(key)) putProperty(properties, key, value);
}

function putPublicSpanProperty(properties: Record<string, string>, key: string, value: unknown): void {
  if (!isInternalSpanAttribute(key)) putProperty(properties, key, value);
}

/**
 * The attributes `reader` has not consumed, minus internal ones, as `properties` (see
 * `attributesToProperties`), written straight into one object: no entry list per item.
 */
export function itemProperties(reader: AttributeReader): Record<string, string> {
  const properties: Record<string, string> = {};
  reader.forEachRemaining(putPublicProperty, properties);
  return properties;
}

/** `itemProperties` for span and span-event items: also keeps the gen_ai main-agent attributes. */
export function spanItemProperties(reader: AttributeReader): Record<string, string> {
  const properties: Record<string, string> = {};
  reader.forEachRemaining(putPublicSpanProperty, properties);
  return properties;
}
