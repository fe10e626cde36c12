/** Client-side codes of SDK Stats (`drop.code`, `retry.code`), as the official SDKs name them. */
export const CLIENT_CODE = Object.freeze({
  exception: 'CLIENT_EXCEPTION',
  timeout: 'CLIENT_TIMEOUT',
  persistenceCapacity: 'CLIENT_PERSISTENCE_CAPACITY',
  unknown: 'UNKNOWN',
} as const);

const STATUS_REASON: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  402: 'Quota exceeded',
  403: 'Forbidden',
  404: 'Not found',
  408: 'Request timeout',
  413: 'Payload too large',
  429: 'Too many requests',
  439: 'Quota exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

const CLIENT_REASON: Readonly<Record<string, string>> = {
  [CLIENT_CODE.exception]: 'Client exception',
  [CLIENT_CODE.timeout]: 'Client timeout',
  [CLIENT_CODE.persistenceCapacity]: 'Persistence full',
  [CLIENT_CODE.unknown]: 'Unknown reason',
};

/**
 * The short, low-cardinality reason (`drop.reason`, `retry.reason`) of a code: an HTTP status of
 * ingestion, or a client code. Pure.
 */
export function reasonOf(code: string): string {
  const client = CLIENT_REASON[code];
  if (client !== undefined) return client;
  const status = Number(code);
  const known = STATUS_REASON[status];
  if (known !== undefined) return known;
  if (status >= 400 && status < 500) return 'Client error 4xx';
  if (status >= 500 && status < 600) return 'Server error 5xx';
  return `status_${code}`;
}
