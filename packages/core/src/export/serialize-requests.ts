import { encodeJsonItems } from '../delivery/body-codec';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../transport/split-envelopes';
import type { RequestBody } from '../transport/transport-types';

/** One request ready to send, with its items' JSON kept so a 206 retry body can be rebuilt. */
export interface SerializedRequest {
  readonly body: RequestBody;
  /** JSON of each envelope, in body order (index = 206 error index). */
  readonly jsonItems: readonly string[];
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
 * Serialize envelopes into newline-delimited JSON request bodies of at most `limits.maxBytes`
 * (before gzip; an envelope larger than that travels alone) and `limits.maxItems` items, gzipped
 * with async zlib when `gzip` is set. Each envelope is stringified once.
 */
export async function serializeRequests(
  envelopes: readonly object[], gzip: boolean, limits: Partial<RequestLimits> = {},
): Promise<SerializedBatch> {
  const { maxBytes, maxItems } = { ...DEFAULT_REQUEST_LIMITS, ...limits };
  const chunks: string[][] = [];
  let current: string[] = [];
  let currentBytes = 0;
  let unserializable = 0;
  let firstError: unknown;
  for (const envelope of envelopes) {
    let json: string | undefined;
    try {
      json = JSON.stringify(envelope);
    } catch (e: unknown) {
      firstError ??= e;
    }
    if (json === undefined) { unserializable++; continue; }
    const bytes = Buffer.byteLength(json, 'utf8') + 1;
    if (current.length > 0 && (current.length >= maxItems || currentBytes + bytes > maxBytes)) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(json);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  const requests = await Promise.all(chunks.map(async (jsonItems) => ({ body: await encodeJsonItems(jsonItems, gzip), jsonItems })));
  return firstError === undefined ? { requests, unserializable } : { requests, unserializable, firstError };
}
