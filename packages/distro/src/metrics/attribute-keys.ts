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

/**
 * A cheaper key for the same attributes in the same key order, without sorting or an array per
 * key: every key and value length-prefixed (or ended by a character numbers never hold) and typed,
 * so two different encodings never meet. Equal fast keys imply equal canonical keys (the same keys
 * in the same order, values JSON would write alike), so a fast key may stand for a canonical one;
 * the converse does not hold (another key order, `undefined` against `null`), which costs only a
 * second fast key for the same series.
 */
export function fastAttributesKey(attributes: Attributes): string {
  let key = '';
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    key += `${name.length}:${name}`;
    switch (typeof value) {
      case 'string':
        key += `s${value.length}:${value}`;
        break;
      case 'number':
        key += `n${value};`;
        break;
      case 'boolean':
        key += value ? 't' : 'f';
        break;
      case 'undefined':
        key += 'u';
        break;
      default: {
        // arrays, null, and whatever JSON writes as null; a BigInt throws, as the SDK's hash does
        const json = JSON.stringify(value) ?? 'null';
        key += `j${json.length}:${json}`;
      }
    }
  }
  return key;
}
