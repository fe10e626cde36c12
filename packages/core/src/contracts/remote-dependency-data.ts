/** An outgoing call or an in-process operation (`dependencies` table). */
export interface RemoteDependencyData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Dependency id (the span id). Max 128. */
  id: string;
  /** Low-cardinality command name, e.g. `GET /users`. Max 1024. */
  name: string;
  /** HTTP status code, gRPC status code, or `"0"`. Max 1024. */
  resultCode: string;
  /** The full command: URL, query text. Max 8192. */
  data?: string;
  /** Very low-cardinality kind: `HTTP`, `SQL`, `InProc`, ... Max 1024. */
  type: string;
  /** Target host / server. Max 1024. */
  target?: string;
  /** `[d.]hh:mm:ss.fffffff`. */
  duration: string;
  success: boolean;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
