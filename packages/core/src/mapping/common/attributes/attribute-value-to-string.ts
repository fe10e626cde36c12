import { diag } from '@opentelemetry/api';

const UNSERIALIZABLE = '[unserializable value]';

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/**
 * Attribute / log-body value -> property string: strings as is, numbers and booleans via String
 * (`NaN` -> "NaN"), byte arrays as base64, arrays and objects as JSON. Returns undefined for
 * undefined and null so callers can skip them. Never throws: a value JSON cannot hold (a cycle)
 * becomes `[unserializable value]`.
 */
export function attributeValueToString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return objectToJson(value);
    default:
      return undefined; // functions and symbols are not attribute values
  }
}

function objectToJson(value: object): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  try {
    return JSON.stringify(value, jsonReplacer) ?? UNSERIALIZABLE;
  } catch (error: unknown) {
    diag.debug(`attribute value could not be serialised as JSON: ${String(error)}`);
    return UNSERIALIZABLE;
  }
}
