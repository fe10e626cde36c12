import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import type { RequestBody } from './transport-types';

/** Same level as the export pipeline's bodies (`GZIP_LEVEL` in delivery/body-codec.ts, which explains it). */
const GZIP_OPTIONS: Readonly<ZlibOptions> = Object.freeze({ level: 3 });
const gzipAsync = promisify(gzipCallback) as (data: Buffer, options: ZlibOptions) => Promise<Buffer>;

/** Content type of the bodies `serializeEnvelopes` produces (newline-delimited JSON). */
export const ENVELOPES_CONTENT_TYPE = 'application/x-json-stream';

/**
 * Serializes envelopes as newline-delimited JSON (one envelope per line, so item index = line
 * index, as 206 responses count them), gzipped with async zlib when `gzip` is true.
 */
export async function serializeEnvelopes(envelopes: readonly object[], gzip: boolean): Promise<RequestBody> {
  const text = envelopes.map((e) => JSON.stringify(e)).join('\n');
  const plain = Buffer.from(text, 'utf8');
  const data = gzip ? await gzipAsync(plain, GZIP_OPTIONS) : plain;
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), gzip, itemCount: envelopes.length };
}
