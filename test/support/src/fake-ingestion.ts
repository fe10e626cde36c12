import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the fake ingestion received. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly items: Array<Record<string, unknown>>;
}

/** A loopback stand-in for the ingestion endpoint that records every item and answers 200. */
export interface FakeIngestion {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Every item received, in order. */
  items(): Array<Record<string, unknown>>;
  /** Resolves once at least `count` items have arrived. */
  waitForItems(count: number, timeoutMillis?: number): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

function parseItems(raw: Buffer, encoding: string | undefined): Array<Record<string, unknown>> {
  const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8').trim();
  if (text.startsWith('[')) return JSON.parse(text) as Array<Record<string, unknown>>;
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Starts a fake ingestion server on 127.0.0.1, port 0. */
export async function startFakeIngestion(): Promise<FakeIngestion> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let items: Array<Record<string, unknown>>;
      try {
        items = parseItems(Buffer.concat(chunks), req.headers['content-encoding']);
      } catch {
        res.writeHead(400).end('{"error":"bad body"}');
        return;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, items });
      res.writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const all = () => requests.flatMap((r) => r.items);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    items: all,
    waitForItems(count, timeoutMillis = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (all().length >= count) { waiters.delete(check); clearTimeout(timer); resolve(all()); }
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`expected ${count} items, got ${all().length}`)); }, timeoutMillis);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A counting fake `TokenCredential` that returns an unsigned JWT-shaped token valid for an hour. */
export function countingCredential(claims: Record<string, unknown> = { aud: 'https://monitor.azure.com', oid: 'test-oid', appid: 'test-app' }) {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const token = `eyJhbGciOiJub25lIn0.${payload}.sig`;
  const calls: string[][] = [];
  return {
    calls,
    token,
    async getToken(scopes: string | string[]) {
      calls.push(Array.isArray(scopes) ? scopes : [scopes]);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}
