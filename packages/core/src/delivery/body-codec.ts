import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RequestBody } from '../transport/transport-types';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Serialize envelopes (already JSON-encoded one by one) into one request body: newline-delimited
 * JSON (item index = line index, the transport's `application/x-json-stream`), gzipped with async
 * zlib when asked.
 */
export async function encodeJsonItems(jsonItems: readonly string[], useGzip: boolean): Promise<RequestBody> {
  const json = Buffer.from(jsonItems.join('\n'), 'utf8');
  const data = useGzip ? await gzipAsync(json) : json;
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), gzip: useGzip, itemCount: jsonItems.length };
}

/** Serialize envelope objects into one request body (see {@link encodeJsonItems}). */
export function encodeEnvelopes(envelopes: readonly object[], useGzip: boolean): Promise<RequestBody> {
  return encodeJsonItems(envelopes.map((e) => JSON.stringify(e)), useGzip);
}

/** Decode a request body back into its items (JSON array or newline-delimited JSON, gzip or plain). */
export async function decodeBody(body: RequestBody): Promise<unknown[]> {
  const raw = body.gzip ? await gunzipAsync(body.data) : Buffer.from(body.data.buffer, body.data.byteOffset, body.data.byteLength);
  const text = raw.toString('utf8').trim();
  if (text.startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/** A body holding only the items at `indexes` of `body` (a 206 retry), same encoding. */
export async function selectBodyItems(body: RequestBody, indexes: readonly number[]): Promise<RequestBody> {
  const items = await decodeBody(body);
  const picked = [...new Set(indexes)].filter((i) => i >= 0 && i < items.length).sort((a, b) => a - b);
  return encodeJsonItems(picked.map((i) => JSON.stringify(items[i])), body.gzip);
}
