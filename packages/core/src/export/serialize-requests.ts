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
interface SerializedRequest {
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
  // length is its string length (the common case); otherwise measure each item. (Writing each item
  // straight into one buffer instead was measured: no faster warm, slower cold.)
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
  const json = createJsonItems();
  json.add(envelopes);
  return json.toRequests(gzip, limits);
}

/** How long one synchronous slice of mapping + JSON may run before {@link serializeItems} yields. */
const SERIALIZE_SLICE_MILLIS = 2;
/** Items mapped between two looks at the clock (32 spans take about 0.2-1.2 ms warm to cold). */
const ITEMS_PER_STEP = 32;

/** Result of {@link serializeItems}: the requests, or the error `map` threw (nothing is sent then). */
export interface MappedBatch extends SerializedBatch {
  /** Envelopes `map` produced (serializable or not). */
  readonly envelopeCount: number;
  /** What `map` threw; when set, `requests` is empty. */
  readonly mapError?: unknown;
}

/** Options of {@link serializeItems}. */
export interface SerializeItemsOptions {
  readonly limits?: Partial<RequestLimits>;
  /** Slice budget (default {@link SERIALIZE_SLICE_MILLIS}). */
  readonly sliceMillis?: number;
  /** Clock in milliseconds (tests); default `performance.now`. */
  readonly now?: () => number;
}

/**
 * Map SDK items to envelopes and serialize them like {@link serializeRequests}, in slices: every
 * {@link ITEMS_PER_STEP} items are mapped and stringified together (their envelopes die at once),
 * and once a slice has run for `sliceMillis` the work yields to the event loop (`setImmediate`)
 * before going on, so a 512-span export never blocks the application for its whole mapping.
 * Only JSON strings are held across a yield. Gzip then runs on the libuv thread pool.
 */
export async function serializeItems<T>(
  items: readonly T[], map: (items: readonly T[]) => object[], gzip: boolean, options: SerializeItemsOptions = {},
): Promise<MappedBatch> {
  const now = options.now ?? performance.now.bind(performance);
  const sliceMillis = options.sliceMillis ?? SERIALIZE_SLICE_MILLIS;
  const json = createJsonItems();
  let envelopeCount = 0;
  let sliceStart = now();
  const yieldWhenDue = async (): Promise<void> => {
    if (now() - sliceStart < sliceMillis) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = now();
  };
  for (let first = 0; first < items.length; first += ITEMS_PER_STEP) {
    if (first > 0) await yieldWhenDue();
    let envelopes: object[];
    try {
      envelopes = map(first === 0 && items.length <= ITEMS_PER_STEP ? items : items.slice(first, first + ITEMS_PER_STEP));
    } catch (e: unknown) {
      return { requests: [], unserializable: 0, envelopeCount, mapError: e };
    }
    envelopeCount += envelopes.length;
    json.add(envelopes);
  }
  await yieldWhenDue(); // the body write below is one more synchronous step (about 1 ms per 512 spans)
  const batch = await json.toRequests(gzip, options.limits ?? {});
  return { ...batch, envelopeCount };
}

/** Accumulates envelopes as JSON strings (one `JSON.stringify` each), then cuts them into requests. */
function createJsonItems(): {
  add(envelopes: readonly object[]): void;
  toRequests(gzip: boolean, limits: Partial<RequestLimits>): Promise<SerializedBatch>;
} {
  const jsonItems: string[] = [];
  let unserializable = 0;
  let firstError: unknown;
  return {
    add(envelopes) {
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
    },
    toRequests(gzip, limits) {
      const maxBytes = limits.maxBytes ?? EXPORT_REQUEST_LIMITS.maxBytes;
      const maxItems = limits.maxItems ?? EXPORT_REQUEST_LIMITS.maxItems;
      const pending: Promise<SerializedRequest>[] = [];
      const all = jsonItems.splice(0, jsonItems.length); // the strings die with this call, not with the caller's frame
      if (all.length > 0) {
        const encoded = encodeItems(all);
        const { starts } = encoded;
        // Every item costs its bytes plus one (its newline).
        let first = 0;
        for (let i = 1; i < all.length; i++) {
          const count = i - first;
          if (count >= maxItems || (starts[i + 1] as number) - (starts[first] as number) > maxBytes) {
            pending.push(toRequest(encoded, first, i, gzip));
            first = i;
          }
        }
        pending.push(toRequest(encoded, first, all.length, gzip));
      }
      return Promise.all(pending).then((requests) =>
        firstError === undefined ? { requests, unserializable } : { requests, unserializable, firstError });
    },
  };
}
