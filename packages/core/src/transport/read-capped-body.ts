/** A response body read up to a byte limit. */
export interface CappedBody {
  /** The body as UTF-8: all of it, or its first `maxBytes` bytes. */
  readonly text: string;
  /** Whether the body was longer than `maxBytes` (`text` is its start; the rest was not read). */
  readonly truncated: boolean;
  /** Set when the connection failed mid-body (reset, timeout): `text` holds what arrived. */
  readonly error?: unknown;
}

/**
 * Reads a response body as UTF-8 up to `maxBytes` (then destroys the stream). A reset or timeout
 * mid-body resolves with what arrived and the error, so the caller can still classify by status.
 */
export async function readCappedBody(body: AsyncIterable<unknown> & { destroy(): unknown }, maxBytes: number): Promise<CappedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size > maxBytes) {
        body.destroy();
        break;
      }
    }
  } catch (error) {
    return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated: false, error };
  }
  return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), truncated: size > maxBytes };
}
