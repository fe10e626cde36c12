import * as http from 'node:http';
import * as net from 'node:net';
import { Agent, EnvHttpProxyAgent, getGlobalDispatcher, type Dispatcher } from 'undici';
import { createDefaultDispatcher, sharedDefaultDispatcher } from '../../src/transport/create-dispatcher';
import { createHttpTransport } from '../../src/transport/http-transport';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { createDiagnostics } from '../../src/diag/diagnostics';
import { recordingLogger } from './helpers/capture-diag';
import { reply, startServer, trackResponse } from './helpers/loopback-server';

/** A loopback CONNECT proxy that only tunnels to loopback targets, counting tunnels. */
async function startConnectProxy(): Promise<{ origin: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<net.Socket>();
  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') { client.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); proxy.close(() => resolve()); }),
  };
}

describe('createDefaultDispatcher', () => {
  const made: Dispatcher[] = [];
  afterEach(async () => { await Promise.all(made.splice(0).map((d) => d.close())); });
  const make = (env: Record<string, string | undefined>): Dispatcher => { const d = createDefaultDispatcher(env); made.push(d); return d; };

  it('is a plain keep-alive Agent without proxy variables', () => {
    expect(make({})).toBeInstanceOf(Agent);
  });

  it.each([{ HTTPS_PROXY: 'http://127.0.0.1:1' }, { http_proxy: 'http://127.0.0.1:1' }])('is an EnvHttpProxyAgent with %j', (env) => {
    expect(make(env)).toBeInstanceOf(EnvHttpProxyAgent);
  });

  it('sends through a loopback proxy from HTTP_PROXY, and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await startConnectProxy();
    const ingestion = await startServer(reply(200, trackResponse(1, 1)));
    try {
      const body = await encodeEnvelopes([{ name: 'a' }], true);
      const send = (env: Record<string, string>) => createHttpTransport({
        endpoint: ingestion.origin, instrumentationKey: 'ikey', signalName: 'traces', dispatcher: make(env),
        diagnostics: createDiagnostics({ logger: recordingLogger() }),
      }).send(body, 5_000);

      await expect(send({ HTTP_PROXY: proxy.origin })).resolves.toEqual({ status: 'success', itemCount: 1 });
      expect(proxy.tunnels).toEqual([`127.0.0.1:${ingestion.port}`]);
      expect(ingestion.requests).toHaveLength(1);

      await expect(send({ HTTP_PROXY: proxy.origin, NO_PROXY: '127.0.0.1' })).resolves.toEqual({ status: 'success', itemCount: 1 });
      expect(proxy.tunnels).toHaveLength(1);
      expect(ingestion.requests).toHaveLength(2);
    } finally {
      await Promise.all(made.splice(0).map((d) => d.close()));
      await ingestion.close();
      await proxy.close();
    }
  });
});

describe('sharedDefaultDispatcher', () => {
  it("is one dispatcher of core's for the whole process, never undici's global one", () => {
    const shared = sharedDefaultDispatcher();
    expect(sharedDefaultDispatcher()).toBe(shared);
    expect(shared).not.toBe(getGlobalDispatcher());
  });
});
