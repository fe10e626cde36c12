import type { AuthError, ExporterError } from '../errors';

/** One request body, ready to send: the serialized envelopes, possibly gzipped. */
export interface RequestBody {
  /** The exact bytes to POST. */
  readonly data: Uint8Array;
  /** Whether `data` is gzip-compressed (sent as `Content-Encoding: gzip`). */
  readonly gzip: boolean;
  /** How many envelopes the body holds (for counting and logs). */
  readonly itemCount: number;
}

/** Content type of request bodies: newline-delimited JSON, one envelope per line (item index = line index). */
export const ENVELOPES_CONTENT_TYPE = 'application/x-json-stream';

/** What happened to one send. Transports resolve with an outcome and reject only on bugs. */
export type SendOutcome =
  | { status: 'success'; itemCount: number }
  /** 206: some items accepted; `retryIndexes` are the indexes (into the sent body) worth re-sending. */
  | {
      status: 'partial'; accepted: number; retryIndexes: readonly number[]; dropped: number; reasons: readonly string[];
      /** Indexes refused for good with their item status (delivery statistics); absent: not known per item. */
      droppedItems?: readonly { readonly index: number; readonly statusCode?: number }[];
      /** Item status of each retried index, in `retryIndexes` order (delivery statistics). */
      retryStatusCodes?: readonly number[];
    }
  /** Transient: send again later (408/429/5xx/network/timeout/402/439). */
  | { status: 'retryable'; retryAfterMillis?: number; error: ExporterError; pause?: boolean }
  /** 400-auth/401/403 and credential errors: keep the items, tell the user how to fix it. */
  | {
      status: 'auth-failed';
      error: AuthError | ExporterError;
      /** Slow-backoff hint: how long the caller should wait before sending the kept items again. */
      retryAfterMillis?: number;
    }
  /** Items are invalid or refused for good: drop them and say why. */
  | { status: 'failure'; error: ExporterError };

/** Sends one request body to ingestion. */
export interface Transport {
  send(body: RequestBody, timeoutMillis: number): Promise<SendOutcome>;
  shutdown(): Promise<void>;
}
