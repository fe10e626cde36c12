import { CONTEXT_TAG_SCHEMA_MAX_LENGTH, truncateString } from '@appinsights-otel/core';

/** Tags a page may not set: they name the server side or the client's address, which the relay owns. */
const RELAY_OWNED_TAGS: ReadonlySet<string> = new Set(['ai.cloud.role', 'ai.cloud.roleInstance', 'ai.internal.nodeName', 'ai.location.ip']);
/** A context tag key: `ai.<area>.<name>` (the web SDK sends a dozen or so). */
const CONTEXT_TAG_KEY = /^ai\.[A-Za-z]{1,32}\.[A-Za-z][A-Za-z0-9]{0,63}$/;
/** Most tags kept from a page; the rest are dropped, so tags cannot inflate an item. */
const MAX_PAGE_TAGS = 32;
/** Longest value of a tag the service's contract does not bound. */
const UNLISTED_TAG_MAX_CHARS = 256;

/** What the relay writes over whatever the page claims. */
export interface OwnedTags {
  readonly roleName: string;
  readonly clientIp: string;
}

/**
 * The tags forwarded for a page's item (pure): context tags only (`ai.<area>.<name>` with a string
 * value), at most {@link MAX_PAGE_TAGS}, each cut to the length the service accepts
 * (`CONTEXT_TAG_SCHEMA_MAX_LENGTH`, else {@link UNLISTED_TAG_MAX_CHARS}); role, role instance, node
 * name and client IP are the relay's.
 */
export function relayTags(tags: unknown, owned: OwnedTags): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
    for (const [key, value] of Object.entries(tags)) {
      if (count >= MAX_PAGE_TAGS) break;
      if (typeof value !== 'string' || !CONTEXT_TAG_KEY.test(key) || RELAY_OWNED_TAGS.has(key)) continue;
      const maxChars = Object.hasOwn(CONTEXT_TAG_SCHEMA_MAX_LENGTH, key) ? CONTEXT_TAG_SCHEMA_MAX_LENGTH[key] ?? UNLISTED_TAG_MAX_CHARS : UNLISTED_TAG_MAX_CHARS;
      kept[key] = truncateString(value, maxChars);
      count++;
    }
  }
  kept['ai.cloud.role'] = owned.roleName;
  kept['ai.location.ip'] = owned.clientIp;
  return kept;
}
