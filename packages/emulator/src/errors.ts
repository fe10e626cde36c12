/** Stable error codes raised by the emulator. */
export type EmulatorErrorCode =
  | 'EMU_CONFIG'
  | 'EMU_UNKNOWN_IDENTITY'
  | 'EMU_UNKNOWN_RESOURCE'
  | 'EMU_UNKNOWN_TABLE'
  | 'EMU_KQL'
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
