/** Stable error codes raised by the emulator. */
export type EmulatorErrorCode =
  | 'EMU_CONFIG'
  | 'EMU_UNKNOWN_IDENTITY'
  | 'EMU_UNKNOWN_RESOURCE'
  | 'EMU_UNKNOWN_TABLE'
  | 'EMU_KQL'
  | 'EMU_QUERY_LIMIT'
  | 'EMU_BODY'
  | 'EMU_STORAGE'
  | 'EMU_PAGE'
  | 'EMU_LISTEN';

/**
 * Brands an emulator error class as `Symbol.for('appinsights-otel.error.<name>')` (after undici), so
 * `instanceof` holds across two installed copies of the emulator. The same scheme as core's
 * `brandError`, kept here because the emulator depends on no package of ours.
 */
const BRANDS = new WeakMap<abstract new (...args: never[]) => Error, symbol>();

function brandError(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  const brand = Symbol.for(`appinsights-otel.error.${name}`);
  BRANDS.set(errorClass, brand);
  Object.defineProperty(errorClass.prototype, brand, { value: true });
}

/** Base error of the emulator: every error it raises carries a stable {@link EmulatorErrorCode}. */
export class EmulatorError extends Error {
  /** True when `value` carries this class's brand (from any installed copy); unbranded subclasses check the prototype chain. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const brand = BRANDS.get(this);
    if (brand === undefined) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  override name = 'EmulatorError';
  /** Stable machine-readable code. */
  readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** A KQL query the emulator cannot parse or does not support. */
export class KqlError extends EmulatorError {
  override name = 'KqlError';

  /** @param message - names the unsupported operator or the syntax problem */
  constructor(message: string, readonly detail: Record<string, string> = {}) {
    super('EMU_KQL', message);
  }
}

/**
 * A query that would cost more than the emulator allows (rows scanned, work, cells, time). The
 * query API answers `status` with `{ error: { code: serviceCode, message, innererror: { code: limit } } }`.
 */
export class QueryLimitError extends EmulatorError {
  override name = 'QueryLimitError';

  /**
   * @param status - 400 for a limit the query always exceeds, 504 for the time limit (as the service answers a query timeout)
   * @param serviceCode - the query API's error code (`BadArgumentError`, `GatewayTimeout`)
   * @param limit - which limit: `RowsScanned`, `QueryCost`, `ComputedCells`, `Timeout`
   */
  constructor(message: string, readonly status: 400 | 504, readonly serviceCode: string, readonly limit: string) {
    super('EMU_QUERY_LIMIT', message);
  }
}

brandError(EmulatorError, 'EmulatorError');
brandError(KqlError, 'KqlError');
brandError(QueryLimitError, 'QueryLimitError');
