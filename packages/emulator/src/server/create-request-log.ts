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
}

/** Bounded log of received requests. */
export interface RequestLog {
  add(entry: LoggedRequest): LoggedRequest;
  entries(): readonly LoggedRequest[];
  clear(): void;
}

/** Creates a log that keeps the last `capacity` requests. */
export function createRequestLog(capacity = 10_000): RequestLog {
  const list: LoggedRequest[] = [];
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
  };
}
