import type { Attributes } from '@opentelemetry/api';

/**
 * The metrics SDK's series identity (`hashAttributes` of @opentelemetry/sdk-metrics, rewritten):
 * the attributes' keys sorted, each with its value, as JSON. Two attribute sets are one series of
 * the SDK exactly when this is equal.
 */
export function canonicalAttributesKey(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  return JSON.stringify(keys.map((key) => [key, attributes[key]]));
}
