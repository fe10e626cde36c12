import { attributeValueToString } from './attribute-value-to-string';

/** A read-only attribute bag (span, event, log or data-point attributes). */
export type AttributeBag = Readonly<Record<string, unknown>>;

/**
 * Reads fields from an attribute bag and remembers which keys were consumed, so that only the
 * attributes not mapped to an envelope field become properties.
 */
export interface AttributeReader {
  /** First non-empty value among `keys` as a string; consumes every key of the list. */
  string(keys: readonly string[]): string | undefined;
  /** First finite numeric value among `keys` (numeric strings accepted); consumes every key. */
  number(keys: readonly string[]): number | undefined;
  /** Whether any of `keys` holds a value (not undefined, null or ''); consumes nothing. */
  has(keys: readonly string[]): boolean;
  /** Marks keys as consumed. */
  consume(keys: readonly string[]): void;
  /** Whether `predicate` matches any key; consumes nothing. */
  someKey(predicate: (key: string) => boolean): boolean;
  /** The attributes not consumed so far, in their original order. */
  remaining(): [string, unknown][];
}

/** Creates an {@link AttributeReader} over `attributes`. */
export function createAttributeReader(attributes: AttributeBag): AttributeReader {
  const consumed = new Set<string>();
  const isPresent = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
  const raw = (keys: readonly string[]): unknown => {
    keys.forEach((key) => consumed.add(key));
    const found = keys.find((key) => isPresent(attributes[key]));
    return found === undefined ? undefined : attributes[found];
  };
  return {
    string: (keys) => attributeValueToString(raw(keys)),
    number(keys) {
      const value = raw(keys);
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    },
    has: (keys) => keys.some((key) => isPresent(attributes[key])),
    consume: (keys) => keys.forEach((key) => consumed.add(key)),
    someKey: (predicate) => Object.keys(attributes).some(predicate),
    remaining: () => Object.entries(attributes).filter(([key]) => !consumed.has(key)),
  };
}
