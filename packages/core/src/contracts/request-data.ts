/** An incoming request handled by the application (`requests` table). */
export interface RequestData {
  /** Base data schema version, always 2. */
  ver: 2;
  /** Request id (the span id). Max 128. */
  id: string;
  /** Low-cardinality name, e.g. `GET /users/{id}`. Max 1024. */
  name: string;
  /** `[d.]hh:mm:ss.fffffff`. */
  duration: string;
  success: boolean;
  /** HTTP status code, gRPC status code, or `"0"`. Max 1024. */
  responseCode: string;
  /** Caller identity, when known. Max 1024. */
  source?: string;
  /** Full request URL. Max 2048. */
  url?: string;
  properties?: Record<string, string>;
  measurements?: Record<string, number>;
}
