/** One item of a body: parsed JSON, or the reason its line could not be parsed. */
export type BodyItem = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** A parsed `/v2/track` body. */
export type ParsedBody =
  | { readonly kind: 'items'; readonly items: readonly BodyItem[] }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'too-many'; readonly count: number };

/**
 * Parse a track body as ingestion does: a JSON array of envelopes, or newline-delimited JSON (one
 * envelope a line; a line that does not parse is that item's error, the others stand). A single
 * JSON object is one item. Refuses more than `maxItems` items before parsing any line.
 */
export function parseTrackBody(text: string, maxItems: number): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'invalid', message: 'the body is empty; send a JSON array or newline-delimited JSON envelopes' };
  if (trimmed.startsWith('[')) return parseArray(trimmed, maxItems);
  const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
  if (lines.length > maxItems) return { kind: 'too-many', count: lines.length };
  return { kind: 'items', items: lines.map(parseLine) };
}

function parseArray(text: string, maxItems: number): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e: unknown) {
    return { kind: 'invalid', message: `the body is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!Array.isArray(value)) return { kind: 'invalid', message: 'the body is not a JSON array of envelopes' };
  if (value.length > maxItems) return { kind: 'too-many', count: value.length };
  return { kind: 'items', items: value.map((item: unknown) => ({ ok: true, value: item })) };
}

function parseLine(line: string): BodyItem {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (e: unknown) {
    return { ok: false, message: `the line is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}
