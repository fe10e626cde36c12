/**
 * The exporter's error hierarchy. Every error we raise or report carries a stable `code`
 * (switch on it, never on message text) and, where it applies, structured context.
 */

import { brandError, isBrandedInstance } from './error-brand';

/** Stable error codes. */
export type ErrorCode =
  | 'AI_EXPORT'
  | 'AI_CONFIG'
  | 'AI_AUTH'
  | 'AI_CREDENTIAL_UNAVAILABLE'
  | 'AI_CREDENTIAL_FAILED'
  | 'AI_TRANSPORT'
  | 'AI_PARTIAL'
  | 'AI_MAPPING'
  | 'AI_SHUTDOWN'
  | 'AI_STORAGE';

/** Base class of every error this project raises. */
export class ExporterError extends Error {
  /**
   * True when `value` is an instance of this class from any installed copy of the package that
   * defines it (the brand is a `Symbol.for` key), so `instanceof ConfigError` holds when npm
   * installs core twice. Every subclass inherits it.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBrandedInstance(this, value);
  }

  override name = 'ExporterError';
  readonly code: ErrorCode = 'AI_EXPORT';
}

/** Bad configuration: thrown at construction, names the key or segment at fault, never echoes values. */
export class ConfigError extends ExporterError {
  override name = 'ConfigError';
  override readonly code = 'AI_CONFIG';
}

/** Ingestion or the query API refused our token (401) or our identity's permissions (403). */
export class AuthError extends ExporterError {
  override name = 'AuthError';
  override readonly code = 'AI_AUTH';
  constructor(message: string, readonly statusCode?: 400 | 401 | 403, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The credential could not be used at all here (e.g. no managed identity on this host). */
export class CredentialUnavailableError extends ExporterError {
  override name = 'CredentialUnavailableError';
  override readonly code = 'AI_CREDENTIAL_UNAVAILABLE';
}

/** The credential was used but Microsoft Entra ID refused it (keeps the AADSTS code when present). */
export class CredentialAuthenticationError extends ExporterError {
  override name = 'CredentialAuthenticationError';
  override readonly code = 'AI_CREDENTIAL_FAILED';
  constructor(message: string, readonly aadstsCode?: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** An HTTP or network failure talking to ingestion. */
export class TransportError extends ExporterError {
  override name = 'TransportError';
  override readonly code = 'AI_TRANSPORT';
  constructor(
    message: string,
    /** `timedOut`: the request was cut off by its timeout (delivery statistics' `CLIENT_TIMEOUT`). */
    readonly context: { statusCode?: number; retryAfterMillis?: number; timedOut?: boolean } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  get statusCode(): number | undefined { return this.context.statusCode; }
  get retryAfterMillis(): number | undefined { return this.context.retryAfterMillis; }
}

/** Ingestion accepted only part of a batch and some items were dropped. */
export class PartialExportError extends ExporterError {
  override name = 'PartialExportError';
  override readonly code = 'AI_PARTIAL';
  constructor(message: string, readonly accepted: number, readonly dropped: number, readonly reasons: readonly string[]) {
    super(message);
  }
}

/** The exporter was used after shutdown(). */
export class ShutdownError extends ExporterError {
  override name = 'ShutdownError';
  override readonly code = 'AI_SHUTDOWN';
}

/** Offline storage could not be used. */
export class StorageError extends ExporterError {
  override name = 'StorageError';
  override readonly code = 'AI_STORAGE';
}

brandError(ExporterError, 'ExporterError');
brandError(ConfigError, 'ConfigError');
brandError(AuthError, 'AuthError');
brandError(CredentialUnavailableError, 'CredentialUnavailableError');
brandError(CredentialAuthenticationError, 'CredentialAuthenticationError');
brandError(TransportError, 'TransportError');
brandError(PartialExportError, 'PartialExportError');
brandError(ShutdownError, 'ShutdownError');
brandError(StorageError, 'StorageError');
