/**
 * Reads a response body as UTF-8 up to `maxBytes` (then destroys the stream). A reset or timeout
 * mid-body resolves with what arrived, so the caller can still classify by status.
 */
export async function readCappedBody(body: AsyncIterable<unknown> & { destroy(): unknown }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= maxBytes) {
        body.destroy();
        break;
      }
    }
  } catch {
    // Reset or timeout mid-body: classify by status with what arrived.
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
