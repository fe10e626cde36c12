import { encodeNdjson } from '../delivery/body-codec';
import type { RequestBody } from '../transport/transport-types';

/** Bounds of one request. */
export interface RequestLimits {
  /** Uncompressed bytes per request (default 1 MB). */
  readonly maxBytes: number;
  /** Items per request (default 1,024). */
  readonly maxItems: number;
}

/**
 * Request bounds of the export pipeline. Ingestion documents 64 KB per item and 64,000 items per
 * batch (Azure Monitor service limits, "Maximum telemetry items per batch"), and no request size
 * below that; the byte cap (1 MB of uncompressed JSON, at most about 16 maximal items) is what
 * keeps one request, its retry and its persisted file small. 1,024 items lets one default
 * `BatchSpanProcessor` batch (512 spans) travel in one request with up to one event per span, as
 * the official exporter sends it, instead of two requests gzipped separately (docs/architecture.md).
 */
export const EXPORT_REQUEST_LIMITS: RequestLimits = Object.freeze({ maxBytes: 1_000_000, maxItems: 1_024 });

/** One request ready to send, with its items' JSON kept so a 206 retry body can be rebuilt. */
export interface SerializedRequest {
  readonly body: RequestBody;
  /** JSON of the envelope at `index` in body order (= 206 error index); undefined outside the body. */
  itemJson(index: number): string | undefined;
}

/** Result of {@link serializeRequests}. */
export interface SerializedBatch {
  readonly requests: SerializedRequest[];
  /** Envelopes that could not be JSON-encoded (cycles, BigInt, throwing toJSON); dropped. */
  readonly unserializable: number;
  /** First serialization error, for the report. */
  readonly firstError?: unknown;
}

/**
 * All items, newline-delimited, encoded once: `starts[i]` is the byte offset of item `i` and
 * `starts[i + 1] - 1` its end (as if a newline followed the last item).
 */
interface EncodedItems {
  readonly plain: Buffer;
  readonly starts: number[];
}

function encodeItems(jsonItems: readonly string[]): EncodedItems {
  const text = jsonItems.join('\n');
  const plain = Buffer.from(text, 'utf8');
  // UTF-8 takes one byte per UTF-16 unit only for ASCII, so equal totals mean every item's byte
  // length is its string length (the common case); otherwise measure each item.
  const ascii = plain.length === text.length;
  const starts: number[] = [0];
  let offset = 0;
  for (const json of jsonItems) {
    offset += (ascii ? json.length : Buffer.byteLength(json, 'utf8')) + 1;
    starts.push(offset);
  }
  return { plain, starts };
}

/**
 * Items `[first, end)` as one request. Not async on purpose: nothing suspended holds the
 * envelopes or their JSON strings while gzip runs, only the encoded bytes (outside the heap).
 */
function toRequest({ plain, starts }: EncodedItems, first: number, end: number, gzip: boolean): Promise<SerializedRequest> {
  const itemCount = end - first;
  const itemJson = (index: number): string | undefined => (Number.isInteger(index) && index >= 0 && index < itemCount
    ? plain.toString('utf8', starts[first + index], (starts[first + index + 1] as number) - 1)
    : undefined);
  const body = plain.subarray(starts[first], (starts[end] as number) - 1);
  return encodeNdjson(body, itemCount, gzip).then((encoded) => ({ body: encoded, itemJson }));
}

/**
 * Serialize envelopes into newline-delimited JSON request bodies of at most `limits.maxBytes`
 * (before gzip; an envelope larger than that travels alone) and `limits.maxItems` items (defaults:
 * {@link EXPORT_REQUEST_LIMITS}), gzipped with async zlib when `gzip` is set. Each envelope is
 * stringified once and all of them UTF-8-encoded in one go, synchronously: neither the envelopes
 * nor their JSON strings outlive this call (the returned promise holds only the encoded bytes).
 */
export function serializeRequests(
  envelopes: readonly object[], gzip: boolean, limits: Partial<RequestLimits> = {},
): Promise<SerializedBatch> {
  const maxBytes = limits.maxBytes ?? EXPORT_REQUEST_LIMITS.maxBytes;
  const maxItems = limits.maxItems ?? EXPORT_REQUEST_LIMITS.maxItems;
  const jsonItems: string[] = [];
  let unserializable = 0;
  let firstError: unknown;
  for (const envelope of envelopes) {
    let json: string | undefined;
    try {
      json = JSON.stringify(envelope);
    } catch (e: unknown) {
      firstError ??= e;
    }
    if (json === undefined) unserializable++;
    else jsonItems.push(json);
  }
  const pending: Promise<SerializedRequest>[] = [];
  if (jsonItems.length > 0) {
    const encoded = encodeItems(jsonItems);
    const { starts } = encoded;
    // Same accounting as before: every item costs its bytes plus one (its newline).
    let first = 0;
    for (let i = 1; i < jsonItems.length; i++) {
      const count = i - first;
      if (count >= maxItems || (starts[i + 1] as number) - (starts[first] as number) > maxBytes) {
        pending.push(toRequest(encoded, first, i, gzip));
        first = i;
      }
    }
    pending.push(toRequest(encoded, first, jsonItems.length, gzip));
  }
  return Promise.all(pending).then((requests) =>
    firstError === undefined ? { requests, unserializable } : { requests, unserializable, firstError });
}
