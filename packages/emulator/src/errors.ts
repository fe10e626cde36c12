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
  | 'EMU_LISTEN';

/** Base error of the emulator: every error it raises carries a stable {@link EmulatorErrorCode}. */
export class EmulatorError extends Error {
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
