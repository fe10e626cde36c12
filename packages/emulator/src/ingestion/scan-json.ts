/** Deepest nesting of arrays and objects accepted in an ingestion body (the outer array counts). */
export const MAX_JSON_DEPTH = 64;

/** What {@link scanJson} found wrong, if anything. */
export type JsonScan =
  | { readonly ok: true; readonly topLevelItems: number }
  | { readonly ok: false; readonly problem: 'too-deep' | 'too-many-items'; readonly position: number };

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * One pass over JSON text, before `JSON.parse`, so that hostile input costs no more than reading it:
 * stops at the first position where arrays/objects nest deeper than `maxDepth`, or where a
 * top-level array holds more than `maxItems` items (commas at depth 1, outside strings). Exact for
 * valid JSON; invalid JSON is left for `JSON.parse` to refuse.
 */
export function scanJson(text: string, maxDepth: number = MAX_JSON_DEPTH, maxItems: number = Number.MAX_SAFE_INTEGER): JsonScan {
  let depth = 0;
  let commas = 0;
  let sawItem = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      if (depth === 1) sawItem = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1) sawItem = true;
      if (++depth > maxDepth) return { ok: false, problem: 'too-deep', position: i };
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA) {
      if (depth === 1 && ++commas + 1 > maxItems) return { ok: false, problem: 'too-many-items', position: i };
    } else if (depth === 1 && c > 0x20) {
      sawItem = true;
    }
  }
  return { ok: true, topLevelItems: sawItem ? commas + 1 : 0 };
}
