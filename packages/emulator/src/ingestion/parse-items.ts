import { MAX_JSON_DEPTH, scanJson } from './scan-json';

/** Most items one ingestion request may hold (Azure Monitor service limits: "Maximum telemetry items per batch"). */
export const MAX_ITEMS_PER_REQUEST = 64_000;

/** One item of a batch: its parsed value (or a parse error) and its serialized size. */
interface ParsedItem {
  readonly value?: unknown;
  readonly error?: string;
  readonly byteLength: number;
}

/** Outcome of splitting a body into items; a refused body carries the status to answer (400 or 413). */
export type ParseItemsResult =
  | { readonly ok: true; readonly items: ParsedItem[] }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

function tooDeep(position: number): string {
  return `Invalid JSON: arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels (at character ${position})`;
}

/** Whether text holds more than `max` lines with something other than whitespace (counted without splitting). */
function hasMoreLinesThan(text: string, max: number): boolean {
  let lines = 0;
  let content = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      if (content && ++lines > max) return true;
      content = false;
    } else if (c > 0x20) content = true;
  }
  return content && lines + 1 > max;
}

function tooManyItems(): ParseItemsResult {
  return { ok: false, status: 413, message: `The request holds more than ${MAX_ITEMS_PER_REQUEST} items; send at most ${MAX_ITEMS_PER_REQUEST} per request` };
}

/**
 * Splits an ingestion body into items: a JSON array, a single JSON object, or newline-delimited
 * JSON. In NDJSON a line that is not JSON (or nests too deep) becomes an item with an error (the
 * others still count); a body that is neither is malformed. Nesting and item count are checked
 * before anything is parsed, so a hostile body is refused at the cost of one read.
 */
export function parseItems(text: string): ParseItemsResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, status: 400, message: 'The request body is empty' };
  if (trimmed.startsWith('[')) {
    const scan = scanJson(trimmed, MAX_JSON_DEPTH, MAX_ITEMS_PER_REQUEST);
    if (!scan.ok) return scan.problem === 'too-deep' ? { ok: false, status: 400, message: tooDeep(scan.position) } : tooManyItems();
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      return { ok: false, status: 400, message: `Invalid JSON: ${(e as Error).message}` };
    }
    if (!Array.isArray(parsed)) return { ok: false, status: 400, message: 'Invalid JSON: expected an array' };
    return { ok: true, items: parsed.map((value) => ({ value, byteLength: Buffer.byteLength(JSON.stringify(value) ?? '') })) };
  }
  if (hasMoreLinesThan(trimmed, MAX_ITEMS_PER_REQUEST)) return tooManyItems();
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  const items: ParsedItem[] = lines.map((line) => {
    const scan = scanJson(line);
    if (!scan.ok) return { error: tooDeep(scan.position), byteLength: Buffer.byteLength(line) };
    try {
      return { value: JSON.parse(line) as unknown, byteLength: Buffer.byteLength(line) };
    } catch {
      return { error: 'Invalid JSON in this line', byteLength: Buffer.byteLength(line) };
    }
  });
  if (items.every((i) => i.error !== undefined)) return { ok: false, status: 400, message: 'Invalid JSON: the body is neither a JSON array nor newline-delimited JSON' };
  return { ok: true, items };
}
