import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import type { RequestBody } from '../transport/transport-types';

/**
 * Gzip level of request bodies. Levels 1-3 use zlib's fast deflate; on our envelopes (about
 * 0.9 KB each, half a megabyte per request) level 3 takes about 40% of level 6's CPU for about 15%
 * more compressed bytes, which are still about 1/17 of the uncompressed JSON (docs/benchmark.md).
 * Ingestion bills the uncompressed JSON, so the level does not change the cost of the data.
 */
const GZIP_LEVEL = 3;
/** One options object for every gzip call. */
const GZIP_OPTIONS: Readonly<ZlibOptions> = Object.freeze({ level: GZIP_LEVEL });

const gzipAsync = promisify(gzip) as (data: Buffer, options: ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(gunzip);

/**
 * Serialize envelopes (already JSON-encoded one by one) into one request body: newline-delimited
 * JSON (item index = line index, the transport's `application/x-json-stream`), gzipped with async
 * zlib (level {@link GZIP_LEVEL}, on the libuv thread pool) when asked. Always async, whatever the
 * body size: the event loop never waits for compression.
 */
export function encodeJsonItems(jsonItems: readonly string[], useGzip: boolean): Promise<RequestBody> {
  return encodeNdjson(Buffer.from(jsonItems.join('\n')), jsonItems.length, useGzip); // a string's bytes are UTF-8
}

/** A request body from bytes that already are newline-delimited JSON of `itemCount` items (see {@link encodeJsonItems}). */
export async function encodeNdjson(plain: Buffer, itemCount: number, useGzip: boolean): Promise<RequestBody> {
  const data = useGzip ? await gzipAsync(plain, GZIP_OPTIONS) : plain;
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), gzip: useGzip, itemCount };
}

/** Decode a request body back into its items (JSON array or newline-delimited JSON, gzip or plain). */
export async function decodeBody(body: RequestBody): Promise<unknown[]> {
  const raw = body.gzip ? await gunzipAsync(body.data) : Buffer.from(body.data.buffer, body.data.byteOffset, body.data.byteLength);
  const text = raw.toString('utf8').trim();
  // JSON text that starts with '[' parses to an array or throws.
  if (text.startsWith('[')) return JSON.parse(text) as unknown[];
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/** A body holding only the items at `indexes` of `body` (a 206 retry), same encoding. */
export async function selectBodyItems(body: RequestBody, indexes: readonly number[]): Promise<RequestBody> {
  const items = await decodeBody(body);
  const picked = [...new Set(indexes)].filter((i) => i >= 0 && i < items.length).sort((a, b) => a - b);
  return encodeJsonItems(picked.map((i) => JSON.stringify(items[i])), body.gzip);
}
