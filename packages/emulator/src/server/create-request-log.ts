import type { AuthTrace } from '../auth/auth-trace';

/** One request the emulator received (authorization values redacted). */
export interface LoggedRequest {
  /** Arrival time, epoch ms. */
  readonly timestamp: number;
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  /** Headers with Authorization / X-IDENTITY-HEADER values redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** Status the emulator answered. */
  status: number;
  /** Items in an ingestion body (when it could be parsed). */
  itemsReceived?: number;
  /** Items accepted. */
  itemsAccepted?: number;
  /** Whether a chaos rule answered this request. */
  chaos?: boolean;
  /** The token issuer's https server received it (otherwise the http server). */
  issuer?: boolean;
  /** Bearer and role checks made while authorizing it (decoded claims only, never the token). */
  auth?: AuthTrace;
}

/** Bounded log of received requests. */
export interface RequestLog {
  add(entry: LoggedRequest): LoggedRequest;
  entries(): readonly LoggedRequest[];
  clear(): void;
  /** Marks a request answered (or abandoned): listeners hear of it once. */
  finish(entry: LoggedRequest): void;
  /** Calls `listener` with each request once it is answered; returns the unsubscribe function. */
  onFinished(listener: (entry: LoggedRequest) => void): () => void;
}

/** Creates a log that keeps the last `capacity` requests. */
export function createRequestLog(capacity = 10_000): RequestLog {
  const list: LoggedRequest[] = [];
  const listeners = new Set<(entry: LoggedRequest) => void>();
  const finished = new WeakSet<LoggedRequest>();
  return {
    add(entry) {
      list.push(entry);
      if (list.length > capacity) list.splice(0, list.length - capacity);
      return entry;
    },
    entries: () => [...list],
    clear() {
      list.length = 0;
    },
    finish(entry) {
      if (finished.has(entry)) return;
      finished.add(entry);
      for (const listener of listeners) listener(entry);
    },
    onFinished(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
