/** Application Insights ingestion limits (characters unless the name says bytes). */
export const SERVICE_LIMITS = {
  /** Custom property key. */
  PROPERTY_KEY_MAX_CHARS: 150,
  /** Custom property value. */
  PROPERTY_VALUE_MAX_CHARS: 8192,
  /** Names: request, dependency, operation, metric, dependency type / target / result code. */
  NAME_MAX_CHARS: 1024,
  /** Event names. */
  EVENT_NAME_MAX_CHARS: 512,
  /** Availability test run ids. */
  AVAILABILITY_ID_MAX_CHARS: 64,
  /** Availability message. */
  AVAILABILITY_MESSAGE_MAX_CHARS: 8192,
  /** Request / dependency ids. */
  ID_MAX_CHARS: 128,
  /** Request URL. */
  URL_MAX_CHARS: 2048,
  /** Dependency `data` (the command: full URL, query text). */
  DEPENDENCY_DATA_MAX_CHARS: 8192,
  /** Message text, exception message and stack. */
  MESSAGE_MAX_CHARS: 32768,
  /** A whole serialised item (UTF-8 JSON). */
  ITEM_MAX_BYTES: 64 * 1024,
} as const;
