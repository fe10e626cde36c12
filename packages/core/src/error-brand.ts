/**
 * `instanceof` for our error classes that holds when npm installs two copies of a package (after
 * undici's `Symbol.for('undici.error.…')` brands): each copy of a branded class marks its prototype
 * with the same global symbol, and `instanceof` asks for that symbol instead of walking prototypes.
 */

/** Prefix of every brand: `Symbol.for('appinsights-otel.error.ConfigError')`. */
const ERROR_BRAND_PREFIX = 'appinsights-otel.error.';

/** The class an error brand belongs to (any constructor; only its prototype is touched). */
type ErrorClass = abstract new (...args: never[]) => Error;

/** Brand symbol of each branded class of this copy of the module. */
const BRANDS = new WeakMap<ErrorClass, symbol>();

/**
 * Brands `errorClass` as `Symbol.for('appinsights-otel.error.<name>')`: its instances, from any
 * installed copy, answer `instanceof` of it. Call once per exported error class, after the class.
 */
export function brandError(errorClass: ErrorClass, name: string): void {
  const brand = Symbol.for(ERROR_BRAND_PREFIX + name);
  BRANDS.set(errorClass, brand);
  Object.defineProperty(errorClass.prototype, brand, { value: true });
}

/**
 * What `value instanceof errorClass` answers for a class whose `static [Symbol.hasInstance]`
 * delegates here: whether `value` carries the class's brand. A subclass that was never branded
 * (a private one, say) keeps the ordinary prototype-chain check.
 */
export function isBrandedInstance(errorClass: ErrorClass, value: unknown): boolean {
  const brand = BRANDS.get(errorClass);
  if (brand === undefined) return Function.prototype[Symbol.hasInstance].call(errorClass, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
