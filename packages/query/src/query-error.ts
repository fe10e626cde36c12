import { brandError, TransportError } from '@appinsights-otel/core';

/**
 * The query API refused the query itself (400, e.g. `BadArgumentError` for a KQL syntax error) or
 * answered with a status that is neither success nor an authentication problem. 401 and 403 are
 * reported as `AuthError` instead; credential failures as `CredentialUnavailableError` /
 * `CredentialAuthenticationError`.
 */
export class QueryError extends TransportError {
  override name = 'QueryError';
  /**
   * @param message - What went wrong and how to fix it.
   * @param statusCode - The HTTP status the query API answered with.
   * @param serviceCode - The service's error code (`BadArgumentError`, `PathNotFoundError`, ...), when it sent one.
   * @param retryAfterMillis - The server's Retry-After hint (429/503), when it sent one.
   */
  constructor(message: string, statusCode: number, readonly serviceCode?: string, retryAfterMillis?: number) {
    super(message, retryAfterMillis === undefined ? { statusCode } : { statusCode, retryAfterMillis });
  }
}

// Branded so `instanceof QueryError` holds across two installed copies of this package.
brandError(QueryError, 'QueryError');
