import type { IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';

/** Bounds of one body read. */
export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly maxInflatedBytes: number;
  readonly bodyTimeoutMillis: number;
}

/** The outcome of reading a body: a value, never a throw. */
export type BodyResult =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'too-large'; readonly what: 'body' | 'inflated'; readonly limitBytes: number }
  | { readonly kind: 'unsupported-encoding'; readonly encoding: string }
  | { readonly kind: 'bad-gzip' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/**
 * Read a request body within bounds: a declared `Content-Length` over the limit is refused before
 * any byte is read, the wire bytes are counted as they arrive, and a gzip body is inflated as a
 * stream whose output is counted too, so neither a large body nor a gzip bomb is ever held in memory
 * beyond the limits.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
    return Promise.resolve({ kind: 'too-large', what: 'body', limitBytes: limits.maxBodyBytes });
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '') {
    return Promise.resolve({ kind: 'unsupported-encoding', encoding });
  }
  return collect(req, limits, encoding === 'gzip' ? zlib.createGunzip() : undefined);
}

function collect(req: IncomingMessage, limits: BodyLimits, gunzip: zlib.Gunzip | undefined): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let keptBytes = 0;
    let settled = false;
    const timer = setTimeout(() => finish({ kind: 'timeout' }), limits.bodyTimeoutMillis);
    timer.unref();
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks.length = 0; // an 'ok' text is already built
      gunzip?.destroy();
      resolve(result);
    };
    const keep = (chunk: Buffer): void => {
      if (settled) return;
      keptBytes += chunk.length;
      if (keptBytes > limits.maxInflatedBytes) return finish({ kind: 'too-large', what: 'inflated', limitBytes: limits.maxInflatedBytes });
      chunks.push(chunk);
    };
    const done = (): void => finish({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    req.on('data', (chunk: Buffer) => {
      if (settled) return; // the rest is discarded as it arrives; the answer closes the connection
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBodyBytes) return finish({ kind: 'too-large', what: 'body', limitBytes: limits.maxBodyBytes });
      if (gunzip) gunzip.write(chunk);
      else keep(chunk);
    });
    req.on('end', () => (gunzip ? gunzip.end() : done()));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => { if (!req.complete) finish({ kind: 'aborted' }); });
    if (gunzip) {
      gunzip.on('data', keep);
      gunzip.on('end', done);
      gunzip.on('error', () => finish({ kind: 'bad-gzip' }));
    }
  });
}
