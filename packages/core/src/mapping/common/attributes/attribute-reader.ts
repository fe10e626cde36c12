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
  /** The attributes not consumed so far that hold a value (not undefined), in their original order. */
  remaining(): [string, unknown][];
  /**
   * Calls `visit(target, key, value)` for each attribute {@link remaining} would return, in order,
   * without building the list (`target` spares the caller a closure per item).
   */
  forEachRemaining<T>(visit: (target: T, key: string, value: unknown) => void, target: T): void;
}

const pushEntry = (entries: [string, unknown][], key: string, value: unknown): void => {
  entries.push([key, value]);
};

/**
 * A 1-of-32 hash of an attribute name (its length and last character): a lookup of a name whose
 * bit no key of the bag has is skipped. A span holds ~10 attributes and its mappers ask for ~40
 * names, most absent; a missed property lookup on varying bags costs more than this.
 */
const keyBit = (key: string): number => 1 << ((key.length + 3 * key.charCodeAt(key.length - 1)) & 31);

const isPresent = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/**
 * One reader per attribute bag; methods live on the prototype (no closures per item). Consumed
 * keys go to a plain array (duplicates allowed), and only keys the bag holds a value for: a span
 * reads some 40 candidate names but holds about 10 attributes, so the array stays short and the
 * `includes` checks of {@link remaining} cheap. (Keys without a value never become properties, so
 * not recording them changes nothing.)
 */
class BagReader implements AttributeReader {
  private readonly consumed: string[] = [];
  /** The bag's keys, read once. */
  private readonly keys: string[];
  /** One bit per {@link keyBit} of the bag's keys: most names a mapper asks for are absent, and skipped without a lookup. */
  private readonly keyBits: number;

  constructor(private readonly attributes: AttributeBag) {
    const keys = Object.keys(attributes);
    let bits = 0;
    for (let i = 0; i < keys.length; i++) bits |= keyBit(keys[i] as string);
    this.keys = keys;
    this.keyBits = bits;
  }

  /** Whether the bag may hold `key` (no false negatives). */
  private mayHold(key: string): boolean {
    return (this.keyBits & keyBit(key)) !== 0;
  }

  private raw(keys: readonly string[]): unknown {
    let found: unknown;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (!this.mayHold(key)) continue;
      const value = this.attributes[key];
      if (value === undefined) continue;
      this.consumed.push(key);
      if (found === undefined && isPresent(value)) found = value;
    }
    return found;
  }

  string(keys: readonly string[]): string | undefined {
    return attributeValueToString(this.raw(keys));
  }

  number(keys: readonly string[]): number | undefined {
    const value = this.raw(keys);
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  }

  has(keys: readonly string[]): boolean {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (this.mayHold(key) && isPresent(this.attributes[key])) return true;
    }
    return false;
  }

  consume(keys: readonly string[]): void {
    for (let i = 0; i < keys.length; i++) this.consumed.push(keys[i] as string);
  }

  someKey(predicate: (key: string) => boolean): boolean {
    return this.keys.some(predicate);
  }

  remaining(): [string, unknown][] {
    const entries: [string, unknown][] = [];
    this.forEachRemaining(pushEntry, entries);
    return entries;
  }

  forEachRemaining<T>(visit: (target: T, key: string, value: unknown) => void, target: T): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const value = this.attributes[key];
      if (value !== undefined && !this.consumed.includes(key)) visit(target, key, value);
    }
  }
}

/** Creates an {@link AttributeReader} over `attributes`. */
export function createAttributeReader(attributes: AttributeBag): AttributeReader {
  return new BagReader(attributes);
}
