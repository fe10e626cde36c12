import type { ServerResponse } from 'node:http';

/** One item's error in a track response, as ingestion reports it. */
export interface TrackItemError {
  readonly index: number;
  readonly statusCode: number;
  readonly message: string;
}

/** The body of every track response (the service's shape). */
export interface TrackResponseBody {
  readonly itemsReceived: number;
  readonly itemsAccepted: number;
  readonly errors: readonly TrackItemError[];
}

/** Headers every answer carries (CORS ones only for an allowed cross origin). */
export interface AnswerHeaders {
  readonly corsOrigin?: string | undefined;
  readonly retryAfterMillis?: number;
  readonly closeConnection?: boolean;
}

/** CORS headers for an allowed origin: the origin echoed, never `*`, and `Vary: Origin`. */
export function corsHeaders(corsOrigin: string | undefined): Record<string, string> {
  return corsOrigin === undefined ? {} : { 'access-control-allow-origin': corsOrigin, vary: 'Origin' };
}

/** Write a track answer: JSON of the service's shape, `Retry-After` in whole seconds when given. */
export function answerTrack(res: ServerResponse, status: number, body: TrackResponseBody, headers: AnswerHeaders = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    ...corsHeaders(headers.corsOrigin),
    ...(headers.retryAfterMillis !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(headers.retryAfterMillis / 1000))) } : {}),
    ...(headers.closeConnection === true ? { connection: 'close' } : {}),
  });
  res.end(json);
}

/** A whole request refused: no item accepted, one error naming the reason. */
export function refusal(itemsReceived: number, statusCode: number, message: string): TrackResponseBody {
  return { itemsReceived, itemsAccepted: 0, errors: [{ index: 0, statusCode, message }] };
}
