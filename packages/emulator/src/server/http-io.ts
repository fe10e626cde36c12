import type { IncomingMessage, ServerResponse } from 'node:http';

/** Writes a JSON response (no-op when the response already ended or the socket is gone). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Writes a JSON response from pieces of text, waiting for the socket to drain between pieces, so
 * that only about one piece is in memory at a time (chunked transfer encoding). Resolves when the
 * response ended or the client went away.
 */
export async function sendJsonChunks(res: ServerResponse, status: number, chunks: Iterable<string>): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => { res.off('drain', done); res.off('close', done); resolve(); };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}

/** Reads a small request body (forms, JSON queries) up to a cap; resolves undefined when over it. */
export function readSmallBody(req: IncomingMessage, capBytes = 1024 * 1024): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > capBytes) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Headers of a request with Authorization (and other secret-bearing headers) values redacted. */
export function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (k === 'authorization') out[k] = value.split(/\s+/)[0] + ' <redacted>';
    else if (k === 'x-identity-header' || k === 'cookie') out[k] = '<redacted>';
    else out[k] = value;
  }
  return out;
}

/** The request target as a URL, safe for paths that start with `//` (never read as a host). */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  return new URL(`http://127.0.0.1${target.startsWith('/') ? '' : '/'}${target}`);
}
