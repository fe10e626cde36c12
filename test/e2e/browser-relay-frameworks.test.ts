import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { countingCredential, startFakeIngestion, type FakeIngestion } from '@appinsights-otel/test-support';
import { createBrowserRelay, type BrowserRelay } from '@appinsights-otel/browser-relay';
import { browserItem, SERVER_IKEY } from '../fixtures/browser-relay/browser-items';
import { send } from '../fixtures/browser-relay/http-client';

// The relay mounted the way each framework mounts middleware: items reach ingestion, the app's own
// routes (with their body parsers) keep working.

let ingestion: FakeIngestion;
let relay: BrowserRelay;
let server: Server | undefined;

beforeEach(async () => {
  ingestion = await startFakeIngestion();
  relay = createBrowserRelay({ connectionString: `InstrumentationKey=${SERVER_IKEY};IngestionEndpoint=${ingestion.url}`, credential: countingCredential(), disableOfflineStorage: true, serviceName: 'shop' });
});
afterEach(async () => {
  await relay.shutdown(2_000);
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
  }
  await ingestion.close();
});

async function listen(s: Server): Promise<string> {
  server = s;
  if (!s.listening) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function expectRelayAndApp(origin: string): Promise<void> {
  const posted = await send(`${origin}/ai-relay/v2/track`, { body: JSON.stringify([browserItem('EventData')]), headers: { origin, 'content-type': 'text/plain;charset=UTF-8' } });
  expect({ status: posted.status, body: posted.json() }).toEqual({ status: 200, body: { itemsReceived: 1, itemsAccepted: 1, errors: [] } });
  const [item] = await ingestion.waitForItems(1);
  expect(item).toMatchObject({ iKey: SERVER_IKEY, tags: { 'ai.cloud.role': 'shop-browser' } });
  const refused = await send(`${origin}/ai-relay/v2/track`, { body: '[]', headers: { origin: 'https://evil.example' } });
  expect(refused.status).toBe(403);
  const own = await send(`${origin}/echo`, { body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
  expect({ status: own.status, text: own.text }).toEqual({ status: 200, text: '{"a":1}' });
}

describe('framework adapters', () => {
  it('express: app.use(relay.express()) before the body parser', async () => {
    const app = express();
    app.use(relay.express());
    app.use(express.json());
    app.post('/echo', (req, res) => { res.json(req.body); });
    await expectRelayAndApp(await listen(app.listen(0, '127.0.0.1')));
  });

  it('express: mounted after a body parser, the relay says so instead of hanging', async () => {
    const app = express();
    app.use(express.text({ type: '*/*' }));
    app.use(relay.express());
    const origin = await listen(app.listen(0, '127.0.0.1'));
    const posted = await send(`${origin}/ai-relay/v2/track`, { body: '[]', headers: { origin, 'content-type': 'text/plain' } });
    expect(posted.status).toBe(500);
    expect(posted.json().errors[0]?.message).toMatch(/mounted after a body parser/);
  });

  it('fastify: app.register(relay.fastify) leaves the app\'s own JSON parsing alone', async () => {
    const app = Fastify();
    await app.register(relay.fastify);
    app.post('/echo', async (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await expectRelayAndApp(await listen(app.server));
    await app.close();
  });

  it('koa: app.use(relay.koa())', async () => {
    const app = new Koa();
    app.use(relay.koa());
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.type = 'text/plain';
      ctx.body = Buffer.concat(chunks).toString('utf8');
    });
    await expectRelayAndApp(await listen(app.listen(0, '127.0.0.1')));
  });
});
