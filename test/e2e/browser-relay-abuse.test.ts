import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { countingCredential, startFakeIngestion, type FakeIngestion } from '@appinsights-otel/test-support';
import { createBrowserRelay, type BrowserRelay, type BrowserRelayOptions } from '@appinsights-otel/browser-relay';
import { browserItem, SERVER_IKEY } from '../fixtures/browser-relay/browser-items';
import { send, type TestRequest, type TestResponse } from '../fixtures/browser-relay/http-client';

// Attacks on the relay's request handling (found in review; each failed before its fix), on loopback
// against a fake ingestion endpoint that records what the relay forwards.

let ingestion: FakeIngestion;
const closers: (() => Promise<void>)[] = [];

interface App {
  readonly relay: BrowserRelay;
  readonly origin: string;
  readonly url: string;
  post(request?: TestRequest, from?: string): Promise<TestResponse>;
}

async function startApp(options: Partial<BrowserRelayOptions> = {}): Promise<App> {
  const relay = createBrowserRelay({
    connectionString: `InstrumentationKey=${SERVER_IKEY};IngestionEndpoint=${ingestion.url}`, credential: countingCredential(),
    disableOfflineStorage: true, serviceName: 'shop', trustProxy: true, ...options,
  });
  const server = http.createServer((req, res) => relay.handler(req, res, () => res.end('app')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(async () => {
    await relay.shutdown(2_000);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const url = `${origin}${relay.path}/v2/track`;
  return {
    relay, origin, url,
    post: (request = {}, from = '203.0.113.66') => send(url, { ...request, headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': from, ...request.headers } }),
  };
}

const body = (...types: string[]): string => JSON.stringify(types.map((t) => browserItem(t)));

beforeAll(async () => {
  ingestion = await startFakeIngestion();
});
afterAll(async () => {
  await ingestion.close();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('browser relay: requests that forward nothing still cost the client', () => {
  it('a client posting only refused items is throttled like one posting accepted items', async () => {
    const app = await startApp({ limits: { maxItemsPerRequest: 10, clientBurstItems: 20, clientItemsPerSecond: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await app.post({ body: body('RequestData', 'RequestData') })).status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(11);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(19);
    expect((await app.post({ body: body('EventData') }, '198.51.100.5')).status).toBe(200);
  });

  it('a client posting malformed bodies is throttled: each refused body costs one item', async () => {
    const app = await startApp({ limits: { maxItemsPerRequest: 5, clientBurstItems: 5, clientItemsPerSecond: 1 } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await app.post({ body: '[{"not json' })).status);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(14);
  });
});

describe('browser relay: one client cannot hold every place', () => {
  it('slow bodies of one client beyond clientConcurrentRequests get 503; another client is still read', async () => {
    const app = await startApp({ limits: { maxConcurrentRequests: 4, clientConcurrentRequests: 2, bodyTimeoutMillis: 60_000 } });
    const slow = Array.from({ length: 4 }, () => http.request(app.url, {
      method: 'POST', agent: false, headers: { origin: app.origin, 'content-length': 1000, 'x-forwarded-for': '203.0.113.66' },
    }));
    const answers = slow.map((req) => new Promise<number>((resolve) => {
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', () => resolve(-1));
    }));
    for (const req of slow) req.write('[');
    await new Promise((r) => setTimeout(r, 300));
    const other = await app.post({ body: body('EventData') }, '198.51.100.5');
    expect(other.status).toBe(200);
    for (const req of slow) req.destroy();
    const statuses = await Promise.all(answers);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
  });
});

describe('browser relay: an IPv6 client cannot take a fresh bucket per address of its /64', () => {
  it('addresses of one /64 share one bucket', async () => {
    const app = await startApp({ limits: { maxItemsPerRequest: 5, clientBurstItems: 5, clientItemsPerSecond: 1 } });
    const statuses: number[] = [];
    for (let i = 1; i <= 10; i++) statuses.push((await app.post({ body: body('EventData', 'EventData', 'EventData', 'EventData', 'EventData') }, `2001:db8:1:2::${i.toString(16)}`)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect((await app.post({ body: body('EventData') }, '2001:db8:1:3::1')).status).toBe(200);
  });
});

describe('browser relay: hostile items never break delivery', () => {
  it('an item nested 100,000 deep or holding 1e400 is refused per item; the others are forwarded and arrive', async () => {
    const app = await startApp({ limits: { maxBodyBytes: 2 * 1024 * 1024, maxInflatedBytes: 2 * 1024 * 1024 } });
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const hostile = JSON.stringify(browserItem('EventData')).replace('"properties":{}', `"properties":{"p":${deep}}`);
    const infinite = JSON.stringify(browserItem('EventData')).replace('"measurements":{}', '"measurements":{"m":1e400}');
    const good = JSON.stringify(browserItem('MessageData'));
    const before = ingestion.requests.length;
    const response = await app.post({ body: [hostile, infinite, good].join('\n') });
    expect(response.status).toBe(206);
    expect(response.json().errors.map((e) => e.index)).toEqual([0, 1]);
    await app.relay.flush();
    const forwarded = ingestion.requests.slice(before).flatMap((r) => r.items);
    expect(forwarded.map((i) => (i as { data: { baseType: string } }).data.baseType)).toEqual(['MessageData']);
  });
});

describe('browser relay: the global ceiling counts bytes, not only items', () => {
  it('large items from many addresses are throttled by globalBytesPerSecond (an item may be 64x a usual one)', async () => {
    const app = await startApp({ limits: { maxInflatedBytes: 300_000, globalBytesPerSecond: 1_000, globalBurstBytes: 300_000 } });
    const big = (): string => {
      const item = browserItem('EventData');
      (item.data as { baseData: { properties: Record<string, string> } }).baseData.properties = { p: 'x'.repeat(8_000), q: 'y'.repeat(8_000), r: 'z'.repeat(8_000) };
      return JSON.stringify(Array.from({ length: 4 }, () => item)); // about 97 KB
    };
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await app.post({ body: big() }, `198.51.100.${i}`)).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });
});
