import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body gunzipped when `content-encoding: gzip` (undefined if that failed), else as text. */
  readonly text: string | undefined;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, recorded: RecordedRequest) => void;

export interface LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` (or the given host). */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Sockets accepted so far, and a promise per socket that resolves when it closes. */
  readonly sockets: { socket: Socket; closed: Promise<void> }[];
  close(): Promise<void>;
}

function decode(headers: http.IncomingHttpHeaders, body: Buffer): string | undefined {
  if (headers['content-encoding'] !== 'gzip') return body.toString('utf8');
  try {
    return gunzipSync(body).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Starts an HTTP server on 127.0.0.1 (or `host`), port 0, recording every request. */
export async function startServer(handler: Handler, host = '127.0.0.1'): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets: LoopbackServer['sockets'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, text: decode(req.headers, body),
      };
      requests.push(recorded);
      handler(req, res, recorded);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.push({ socket, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://${host}:${port}`,
    requests,
    sockets,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Answers with a status, headers and body. */
export function reply(status: number, body = '', headers: http.OutgoingHttpHeaders = {}, statusMessage?: string): Handler {
  return (_req, res) => {
    if (statusMessage !== undefined) res.writeHead(status, statusMessage, headers);
    else res.writeHead(status, headers);
    res.end(body);
  };
}

/** A track response body. */
export function trackResponse(received: number, accepted: number, errors: { index: number; statusCode: number; message?: string }[] = []): string {
  return JSON.stringify({ itemsReceived: received, itemsAccepted: accepted, errors });
}

/**
 * Per-test loopback servers and transports, closed after each test (registers its own afterEach).
 * `server(...)` starts a tracked server; `track(transport)` shuts the transport down after the test.
 */
export function useLoopbackFixtures(): {
  server(...args: Parameters<typeof startServer>): Promise<LoopbackServer>;
  track<T extends { shutdown(): Promise<void> }>(transport: T): T;
} {
  const servers: LoopbackServer[] = [];
  const transports: Array<{ shutdown(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.shutdown()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    async server(...args) {
      const s = await startServer(...args);
      servers.push(s);
      return s;
    },
    track(transport) {
      transports.push(transport);
      return transport;
    },
  };
}
