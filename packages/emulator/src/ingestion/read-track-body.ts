import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** Default cap on a request body, compressed or decompressed. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Outcome of reading an ingestion body. */
export type BodyResult =
  | { readonly status: 'ok'; readonly text: string; readonly wireBytes: number }
  | { readonly status: 'too-large'; readonly message: string }
  | { readonly status: 'malformed'; readonly message: string };

function gunzipBounded(data: Buffer, capBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    gunzip(data, { maxOutputLength: capBytes }, (err, out) => {
      if (!err) resolve({ status: 'ok', text: out.toString('utf8'), wireBytes: data.length });
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        resolve({ status: 'too-large', message: `The decompressed body exceeds ${capBytes} bytes` });
      } else resolve({ status: 'malformed', message: `The body is not valid gzip: ${err.message}` });
    });
  });
}

/**
 * Reads an ingestion request body without ever holding more than `capBytes`: declared or streamed
 * bodies over the cap resolve `too-large` at once (the rest of the stream is drained and discarded),
 * gzip bodies are inflated with an output cap.
 */
export function readTrackBody(req: IncomingMessage, capBytes: number = MAX_BODY_BYTES): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'gzip' && encoding !== 'identity') {
    req.resume();
    return Promise.resolve({ status: 'malformed', message: `Unsupported Content-Encoding '${encoding}'` });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > capBytes) {
    req.resume();
    return Promise.resolve({ status: 'too-large', message: `The body (${declared} bytes) exceeds ${capBytes} bytes` });
  }
  if (req.destroyed) return Promise.resolve({ status: 'malformed', message: 'The request was aborted' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult | Promise<BodyResult>): void => {
      if (done) return;
      done = true;
      void Promise.resolve(r).then(resolve);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > capBytes) {
        chunks.length = 0;
        finish({ status: 'too-large', message: `The body exceeds ${capBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => finish({ status: 'malformed', message: 'The request body could not be read' }));
    req.on('aborted', () => finish({ status: 'malformed', message: 'The request was aborted' }));
    req.on('close', () => finish({ status: 'malformed', message: 'The request was aborted' })); // closed before 'end'
    req.on('end', () => {
      const data = Buffer.concat(chunks);
      const looksGzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
      if (encoding === 'gzip' || looksGzip) finish(gunzipBounded(data, capBytes));
      else finish({ status: 'ok', text: data.toString('utf8'), wireBytes: data.length });
    });
  });
}
