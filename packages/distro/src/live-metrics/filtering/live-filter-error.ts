/** Stable codes of {@link LiveFilterError}, one per kind of configuration problem. */
export type LiveFilterErrorCode =
  /** The telemetry type is not one this SDK filters (Event, Metric, PerformanceCounter, unknown). */
  | 'AI_LIVE_TELEMETRY_TYPE'
  /** A filter the type cannot evaluate: unknown field, predicate or comparand. */
  | 'AI_LIVE_FILTER'
  /** A derived metric this SDK cannot compute: projection, aggregation, or a value that is not a number. */
  | 'AI_LIVE_METRIC'
  /** The same metric id twice in one configuration. */
  | 'AI_LIVE_DUPLICATE_ID'
  /** The configuration (or one of its entries) is not shaped like the spec's. */
  | 'AI_LIVE_CONFIGURATION';

/**
 * A part of the portal's filter configuration this SDK does not apply. Never thrown to the app:
 * turned into a `CollectionConfigurationError` the next post carries back to the portal.
 */
export class LiveFilterError extends Error {
  override name = 'LiveFilterError';

  constructor(readonly code: LiveFilterErrorCode, message: string) {
    super(message);
  }
}
