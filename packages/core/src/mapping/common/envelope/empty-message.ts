/**
 * Message written when an item has no text (a log record without body, an unnamed span event):
 * ingestion rejects an empty `message`, and dropping the item silently is worse.
 */
export const EMPTY_MESSAGE = 'n/a';
