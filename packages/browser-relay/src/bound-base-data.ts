import { SERVICE_LIMITS, truncateString } from '@appinsights-otel/core';

/** Deepest nesting below `baseData` (the contract's deepest, `exceptions[].parsedStack[]` frames, is 4). */
const MAX_BASE_DATA_DEPTH = 8;

/** `baseData` copied within bounds, or why the item is refused. */
export type BoundedBaseData =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

/** Longest value of top-level string fields of `baseData`, from the service's limits. */
const FIELD_MAX_CHARS: Readonly<Record<string, number>> = {
  name: SERVICE_LIMITS.NAME_MAX_CHARS,
  id: SERVICE_LIMITS.ID_MAX_CHARS,
  url: SERVICE_LIMITS.URL_MAX_CHARS,
  data: SERVICE_LIMITS.DEPENDENCY_DATA_MAX_CHARS,
  target: SERVICE_LIMITS.NAME_MAX_CHARS,
  type: SERVICE_LIMITS.NAME_MAX_CHARS,
  resultCode: SERVICE_LIMITS.NAME_MAX_CHARS,
  message: SERVICE_LIMITS.MESSAGE_MAX_CHARS,
};

interface Walk {
  problem?: string;
}

/**
 * Copy a page's `baseData` (pure) so that it can be forwarded: refused when nested deeper than
 * {@link MAX_BASE_DATA_DEPTH} (serializing it would overflow the stack) or holding a number JSON
 * cannot carry (`1e400` parses to Infinity, sent as null); `__proto__` keys dropped; property keys
 * and values and the top-level text fields cut to the service's limits (`SERVICE_LIMITS`).
 */
export function boundBaseData(baseData: Record<string, unknown>, baseType: string): BoundedBaseData {
  const walk: Walk = {};
  const copy = copyJson(baseData, 0, walk) as Record<string, unknown>;
  if (walk.problem !== undefined) return { ok: false, message: walk.problem };
  for (const [field, maxChars] of Object.entries(FIELD_MAX_CHARS)) {
    const value = copy[field];
    const limit = baseType === 'EventData' && field === 'name' ? SERVICE_LIMITS.EVENT_NAME_MAX_CHARS : maxChars;
    if (typeof value === 'string') copy[field] = truncateString(value, limit);
  }
  const properties = copy['properties'];
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) copy['properties'] = boundProperties(properties as Record<string, unknown>);
  return { ok: true, value: copy };
}

function copyJson(value: unknown, depth: number, walk: Walk): unknown {
  if (walk.problem !== undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    walk.problem = 'the item holds a number that is not finite (such as 1e400); JSON cannot carry it';
    return null;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_BASE_DATA_DEPTH) {
    walk.problem = `the item's data is nested deeper than ${MAX_BASE_DATA_DEPTH} levels; no browser item type is`;
    return null;
  }
  if (Array.isArray(value)) return value.map((entry: unknown) => copyJson(entry, depth + 1, walk));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key !== '__proto__') copy[key] = copyJson(entry, depth + 1, walk);
  }
  return copy;
}

function boundProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const bounded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const shortKey = truncateString(key, SERVICE_LIMITS.PROPERTY_KEY_MAX_CHARS);
    if (Object.hasOwn(bounded, shortKey)) continue;
    bounded[shortKey] = typeof value === 'string' ? truncateString(value, SERVICE_LIMITS.PROPERTY_VALUE_MAX_CHARS) : value;
  }
  return bounded;
}
