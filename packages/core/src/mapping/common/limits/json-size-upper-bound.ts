/**
 * Most UTF-8 bytes one UTF-16 code unit can take inside a JSON string literal: a control
 * character or a lone surrogate is written as `\uXXXX` (6 bytes); every other unit takes at most 3
 * (a surrogate pair, 2 units, takes 4).
 */
const MAX_JSON_BYTES_PER_CODE_UNIT = 6;
/** Longest `JSON.stringify` output of a number (e.g. `-0.0000012345678901234567` is 25), rounded up. */
const MAX_NUMBER_JSON_BYTES = 32;
/** `false`, the longest boolean. */
const MAX_BOOLEAN_JSON_BYTES = 5;
/** `null` (also what undefined becomes inside arrays). */
const NULL_JSON_BYTES = 4;
/** Per object member besides key and value: the key's quotes, the colon and a comma. */
const MEMBER_OVERHEAD_BYTES = 4;
/** Deeper nesting than this is not measured (envelopes are 5 levels deep): the bound gives up. */
const MAX_DEPTH = 32;

/**
 * A cheap upper bound of `Buffer.byteLength(JSON.stringify(value), 'utf8')`, without building the
 * JSON: strings count 6 bytes per UTF-16 unit, numbers 32 bytes. Only plain objects, arrays,
 * strings, finite or not numbers, booleans, null and undefined are measured; anything else (a
 * class instance, a function, a bigint, a `toJSON` method, nesting deeper than 32, e.g. a cycle)
 * returns `Infinity`, so callers fall back to the exact size. Never throws.
 */
export function jsonSizeUpperBound(value: unknown): number {
  return bound(value, 0);
}

/** {@link jsonSizeUpperBound} of a string, without a call per value. */
export const stringBound = (value: string): number => 2 + MAX_JSON_BYTES_PER_CODE_UNIT * value.length;

/** What one object member adds to {@link jsonSizeUpperBound}: key, quotes, colon, comma and `valueBound`. */
export const memberBound = (key: string, valueBound: number): number => MEMBER_OVERHEAD_BYTES + MAX_JSON_BYTES_PER_CODE_UNIT * key.length + valueBound;

function bound(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return stringBound(value);
    case 'number':
      return MAX_NUMBER_JSON_BYTES;
    case 'boolean':
      return MAX_BOOLEAN_JSON_BYTES;
    case 'undefined':
      return NULL_JSON_BYTES;
    case 'object':
      if (value === null) return NULL_JSON_BYTES;
      return depth >= MAX_DEPTH ? Infinity : containerBound(value, depth + 1);
    default:
      return Infinity;
  }
}

function containerBound(value: object, depth: number): number {
  let bytes = 2; // brackets or braces
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) bytes += 1 + bound(value[i], depth);
    return bytes;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return Infinity;
  const record = value as Record<string, unknown>;
  for (const key in record) bytes += memberBound(key, bound(record[key], depth));
  return bytes;
}
