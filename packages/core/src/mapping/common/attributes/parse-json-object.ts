/** A plain object (not null, not an array). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether `value` is a plain object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * An object given as itself or as the JSON text of one (span attributes cannot hold maps, and
 * older shim versions stringified their bodies); undefined for anything else, never a throw.
 */
export function parseJsonObject(value: unknown): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
