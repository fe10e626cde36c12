/** One item of a batch: its parsed value (or a parse error) and its serialized size. */
export interface ParsedItem {
  readonly value?: unknown;
  readonly error?: string;
  readonly byteLength: number;
}

/** Outcome of splitting a body into items. */
export type ParseItemsResult = { readonly ok: true; readonly items: ParsedItem[] } | { readonly ok: false; readonly message: string };

/**
 * Splits an ingestion body into items: a JSON array, a single JSON object, or newline-delimited
 * JSON. In NDJSON a line that is not JSON becomes an item with an error (the others still count);
 * a body that is neither is malformed.
 */
export function parseItems(text: string): ParseItemsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'The request body is empty' };
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      return { ok: false, message: `Invalid JSON: ${(e as Error).message}` };
    }
    if (!Array.isArray(parsed)) return { ok: false, message: 'Invalid JSON: expected an array' };
    return { ok: true, items: parsed.map((value) => ({ value, byteLength: Buffer.byteLength(JSON.stringify(value) ?? '') })) };
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  const items: ParsedItem[] = lines.map((line) => {
    try {
      return { value: JSON.parse(line) as unknown, byteLength: Buffer.byteLength(line) };
    } catch {
      return { error: 'Invalid JSON in this line', byteLength: Buffer.byteLength(line) };
    }
  });
  if (items.every((i) => i.error !== undefined)) return { ok: false, message: 'Invalid JSON: the body is neither a JSON array nor newline-delimited JSON' };
  return { ok: true, items };
}
