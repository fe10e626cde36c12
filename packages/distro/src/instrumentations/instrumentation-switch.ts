/** `{ enabled: false }` turns an instrumentation off, `{ enabled: true }` on; unset: environment, then default. */
export interface InstrumentationSwitch {
  enabled?: boolean;
}

/** Options of the Fastify instrumentation (`@fastify/otel`). */
export interface FastifyInstrumentationOptions extends InstrumentationSwitch {
  /** Routes not to trace: a path, or a predicate of the route's `url` and `method`. */
  ignorePaths?: string | ((route: { url: string; method: string }) => boolean);
  /** Record exceptions thrown by handlers on the span. Default true. */
  recordExceptions?: boolean;
}
