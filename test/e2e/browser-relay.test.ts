import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { TokenCredential } from '@azure/core-auth';
import { DEFAULT_IDS, startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { countingCredential, startFakeIngestion } from '@appinsights-otel/test-support';
import { createBrowserRelay, type BrowserRelay, type BrowserRelayOptions } from '@appinsights-otel/browser-relay';
import { browserItem, OPERATION_ID, SERVER_IKEY, WEB_SDK_TYPES } from '../fixtures/browser-relay/browser-items';
import { send, type TestRequest, type TestResponse } from '../fixtures/browser-relay/http-client';

// The relay end to end on loopback: a real node:http app mounts it, a real emulator in Entra-only
// mode is the resource, and the relay forwards with the server's credential (tokens the emulator issues).

const SCALED_GATE = {
  transient: { initialMillis: 100, maxMillis: 400, multiplier: 2, jitter: 0.2 },
  quota: { initialMillis: 300, maxMillis: 1_000, multiplier: 2, jitter: 0.2 },
  auth: { initialMillis: 300, maxMillis: 1_000, multiplier: 2, jitter: 0.2 },
};

let emulator: EmulatorHandle;
const issuedTokens: string[] = [];
const serverCredential: TokenCredential = {
  async getToken() {
    const token = emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName });
    issuedTokens.push(token);
    return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

interface App {
  readonly relay: BrowserRelay;
  readonly origin: string;
  readonly url: string;
  readonly responses: TestResponse[];
  post(request?: TestRequest, url?: string): Promise<TestResponse>;
  close(): Promise<void>;
}

const apps: App[] = [];

/** A node:http app with the relay mounted and one route of its own (`/health`). */
async function startApp(options: Partial<BrowserRelayOptions> = {}): Promise<App> {
  const relay = createBrowserRelay({
    connectionString: emulator.connectionString(), credential: serverCredential, disableOfflineStorage: true,
    serviceName: 'shop', exportTimeoutMillis: 5_000, ...options,
  });
  const server = http.createServer((req, res) => relay.handler(req, res, () => res.end('app')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const responses: TestResponse[] = [];
  const app: App = {
    relay, origin, url: `${origin}${relay.path}/v2/track`, responses,
    async post(request = {}, url = app.url) {
      const response = await send(url, { ...request, headers: { origin, 'content-type': 'application/json', ...request.headers } });
      responses.push(response);
      return response;
    },
    async close() {
      await relay.shutdown(2_000);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  apps.push(app);
  return app;
}

const items = (...types: string[]): string => JSON.stringify(types.map((t) => browserItem(t)));

async function waitFor(check: () => boolean, what: string, timeoutMillis = 10_000): Promise<void> {
  const until = Date.now() + timeoutMillis;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
}, 60_000);
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.clearItems());
afterEach(async () => {
  const closing = apps.splice(0);
  for (const app of closing) {
    // No answer of the relay ever carries the server's token.
    for (const response of app.responses) {
      for (const token of issuedTokens) expect(response.text + JSON.stringify(response.headers)).not.toContain(token);
    }
    await app.close();
  }
});

describe('browser relay: delivery with the server\'s credential (emulator, Entra-only)', () => {
  it('answers 200 like the service and delivers every browser type under the server\'s identity', async () => {
    const app = await startApp();
    const response = await app.post({ body: items(...WEB_SDK_TYPES) });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ itemsReceived: 7, itemsAccepted: 7, errors: [] });
    await app.relay.flush();
    for (const table of ['pageViews', 'browserTimings', 'dependencies', 'exceptions', 'traces', 'customEvents', 'customMetrics'] as const) {
      const [row] = emulator.items(table);
      expect({ table, row }).toMatchObject({ table, row: { iKey: SERVER_IKEY, cloud_RoleName: 'shop-browser', client_IP: '127.0.0.1', operation_Id: OPERATION_ID } });
    }
    expect(issuedTokens.length).toBeGreaterThan(0);
  });

  it('accepts what sendBeacon sends (text/plain, newline-delimited) and a gzip body', async () => {
    const app = await startApp();
    const ndjson = [browserItem('EventData'), browserItem('MessageData')].map((i) => JSON.stringify(i)).join('\n');
    const beacon = await app.post({ body: ndjson, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect(beacon.json()).toEqual({ itemsReceived: 2, itemsAccepted: 2, errors: [] });
    const gzipped = await app.post({ body: zlib.gzipSync(items('EventData')), headers: { 'content-encoding': 'gzip' } }, `${app.origin}${app.relay.path}/v2.1/track`);
    expect(gzipped.json()).toEqual({ itemsReceived: 1, itemsAccepted: 1, errors: [] });
    await app.relay.flush();
    expect(emulator.countItems('customEvents')).toBe(2);
    expect(emulator.countItems('traces')).toBe(1);
  });

  it('keeps items through an ingestion outage and delivers them later', async () => {
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'relay-outage-'));
    try {
      const app = await startApp({ disableOfflineStorage: false, storageDirectory: directory, tuning: { gatePolicy: SCALED_GATE } });
      emulator.chaos.next(1, { status: 503 });
      expect((await app.post({ body: items('EventData', 'MessageData') })).status).toBe(200);
      await waitFor(() => fs.readdirSync(directory, { recursive: true }).some((f) => String(f).endsWith('.ai')), 'a stored body');
      expect(emulator.countItems('customEvents')).toBe(0);
      await waitFor(() => emulator.countItems('customEvents') === 1 && emulator.countItems('traces') === 1, 'delivery after the outage');
    } finally {
      await fs.promises.rm(directory, { recursive: true, force: true });
    }
  });
});

describe('browser relay: what goes on the wire', () => {
  it('forwards the web SDK\'s page view performance under the contract\'s PageViewPerfData, rebuilt with the server\'s key, role and client IP', async () => {
    const ingestion = await startFakeIngestion();
    try {
      const credential = countingCredential();
      const app = await startApp({ connectionString: `InstrumentationKey=${SERVER_IKEY};IngestionEndpoint=${ingestion.url}`, credential });
      const sent = browserItem('PageviewPerformanceData');
      expect((await app.post({ body: JSON.stringify([sent]) })).status).toBe(200);
      const [forwarded] = await ingestion.waitForItems(1);
      expect(forwarded).toEqual({
        ver: 1,
        name: 'Microsoft.ApplicationInsights.PageViewPerformance',
        time: sent.time,
        iKey: SERVER_IKEY,
        tags: { ...sent.tags, 'ai.cloud.role': 'shop-browser', 'ai.location.ip': '127.0.0.1' },
        data: { baseType: 'PageViewPerfData', baseData: (sent.data as { baseData: unknown }).baseData },
      });
      expect(ingestion.requests[0]?.path).toBe('/v2.1/track');
      expect(ingestion.requests[0]?.headers.authorization).toMatch(/^Bearer /);
    } finally {
      await ingestion.close();
    }
  });
});

describe('browser relay: answers like the service', () => {
  it('206 with per-item errors for forbidden types, foreign keys and bad lines; the rest is delivered', async () => {
    const app = await startApp();
    const body = [
      JSON.stringify(browserItem('EventData')),
      JSON.stringify(browserItem('RequestData')),
      JSON.stringify(browserItem('EventData', '99999999-2222-4333-8444-555555555555')),
      '{not json',
      JSON.stringify(browserItem('AvailabilityData')),
      JSON.stringify(browserItem('MessageData')),
    ].join('\n');
    const response = await app.post({ body });
    expect(response.status).toBe(206);
    const json = response.json();
    expect(json).toMatchObject({ itemsReceived: 6, itemsAccepted: 2 });
    expect(json.errors.map((e) => [e.index, e.statusCode])).toEqual([[1, 400], [2, 400], [3, 400], [4, 400]]);
    expect(json.errors[0]?.message).toMatch(/not browser telemetry/);
    expect(json.errors[1]?.message).toMatch(/another resource/);
    await app.relay.flush();
    expect(emulator.countItems('requests')).toBe(0);
    expect(emulator.countItems('availabilityResults')).toBe(0);
    expect(emulator.countItems('customEvents')).toBe(1);
    expect(emulator.countItems('traces')).toBe(1);
  });

  it('400 when nothing is admissible, or the body is malformed JSON', async () => {
    const app = await startApp();
    const forbidden = await app.post({ body: items('RequestData') });
    expect(forbidden.status).toBe(400);
    expect(forbidden.json()).toMatchObject({ itemsReceived: 1, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400 }] });
    for (const body of ['[{"time":', '', 'null']) {
      const response = await app.post({ body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.json().itemsAccepted).toBe(0);
    }
    const badGzip = await app.post({ body: Buffer.from('not gzip'), headers: { 'content-encoding': 'gzip' } });
    expect(badGzip.status).toBe(400);
    expect((await app.post({ body: 'x', headers: { 'content-encoding': 'br' } })).status).toBe(415);
    await app.relay.flush();
    expect(emulator.countItems('requests')).toBe(0);
  });

  it('405 for another method and 404 for another path under the relay; the app\'s own routes are untouched', async () => {
    const app = await startApp();
    expect((await app.post({ method: 'GET' })).status).toBe(405);
    expect((await app.post({ body: '[]' }, `${app.origin}${app.relay.path}/v2/other`)).status).toBe(404);
    const own = await send(`${app.origin}/health`, { method: 'GET' });
    expect({ status: own.status, text: own.text }).toEqual({ status: 200, text: 'app' });
  });
});

describe('browser relay: hostile input', () => {
  it('refuses a wrong or missing origin with 403 and no CORS header', async () => {
    const app = await startApp();
    const wrong = await app.post({ body: items('EventData'), headers: { origin: 'https://evil.example' } });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['access-control-allow-origin']).toBeUndefined();
    const missing = await send(app.url, { body: items('EventData'), headers: { 'content-type': 'application/json' } });
    expect(missing.status).toBe(403);
    expect(missing.json().errors[0]?.message).toMatch(/neither an Origin nor a Referer/);
    const referer = await send(app.url, { body: items('EventData'), headers: { referer: `${app.origin}/shop` } });
    expect(referer.status).toBe(200);
    const preflight = await app.post({ method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
  });

  it('sends CORS headers to a configured origin only, and answers its preflight', async () => {
    const app = await startApp({ allowedOrigins: ['https://cdn.example.com'] });
    const preflight = await app.post({ method: 'OPTIONS', headers: { origin: 'https://cdn.example.com', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://cdn.example.com');
    const post = await app.post({ body: items('EventData'), headers: { origin: 'https://cdn.example.com' } });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe('https://cdn.example.com');
    const sameOrigin = await app.post({ body: items('EventData') });
    expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an oversize body by its Content-Length before reading it, and by counting when it is streamed', async () => {
    const app = await startApp({ limits: { maxBodyBytes: 64 * 1024 } });
    const declared = await app.post({ headers: { 'content-length': 50 * 1024 * 1024 }, withholdBody: true });
    expect(declared.status).toBe(413);
    expect(declared.json().errors[0]?.message).toMatch(/limits\.maxBodyBytes/);
    const streamed = await app.post({ chunks: Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 0x20)) });
    expect(streamed.status).toBe(413);
  });

  it('refuses a gzip bomb by capping the inflated size', async () => {
    const app = await startApp();
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces, about 64 KB on the wire
    expect(bomb.length).toBeLessThan(256 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const response = await app.post({ body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(response.status).toBe(413);
    expect(response.json().errors[0]?.message).toMatch(/once gzip is undone .*limits\.maxInflatedBytes/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses 10,000 items in one request with 413 and forwards none', async () => {
    const app = await startApp();
    const tenThousand = JSON.stringify(Array.from({ length: 10_000 }, () => ({})));
    const response = await app.post({ body: tenThousand });
    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ itemsReceived: 10_000, itemsAccepted: 0 });
    expect(response.json().errors[0]?.message).toMatch(/at most 500 \(limits\.maxItemsPerRequest\)/);
  });

  it('a flood from one client: the limit holds (429 with Retry-After), other clients and the app stay served', async () => {
    const app = await startApp({ trustProxy: true, limits: { maxItemsPerRequest: 10, clientBurstItems: 50, clientItemsPerSecond: 1 } });
    const flood = await Promise.all(Array.from({ length: 100 }, () => app.post({ body: items(...Array.from({ length: 10 }, () => 'EventData')), headers: { 'x-forwarded-for': '203.0.113.66' } })));
    const accepted = flood.filter((r) => r.status === 200);
    const throttled = flood.filter((r) => r.status === 429);
    expect(accepted.length + throttled.length).toBe(100);
    // 50 items of burst and at most a few refilled while the flood lasts: 5 or 6 requests of 10 get through.
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(accepted.length).toBeLessThanOrEqual(10);
    for (const r of throttled) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(r.json()).toMatchObject({ itemsAccepted: 0, errors: [{ statusCode: 429 }] });
    }
    const other = await app.post({ body: items('EventData'), headers: { 'x-forwarded-for': '198.51.100.5' } });
    expect(other.status).toBe(200);
    const own = await send(`${app.origin}/health`, { method: 'GET' });
    expect(own.status).toBe(200);
    await app.relay.flush();
    expect(emulator.countItems('customEvents')).toBe(accepted.length * 10 + 1);
    expect(emulator.items('customEvents').filter((r) => r['client_IP'] === '198.51.100.5')).toHaveLength(1);
  });

  it('bounds the bodies held at once: slow senders beyond maxConcurrentRequests get 503 with Retry-After', async () => {
    const app = await startApp({ limits: { maxConcurrentRequests: 3, bodyTimeoutMillis: 60_000 } });
    const slow = Array.from({ length: 3 }, () => http.request(app.url, { method: 'POST', agent: false, headers: { origin: app.origin, 'content-length': 1000 } }));
    for (const req of slow) {
      req.on('error', () => undefined);
      req.write('[');
    }
    await new Promise((r) => setTimeout(r, 300));
    const busy = await app.post({ body: items('EventData') });
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    for (const req of slow) req.destroy();
  });

  it('answers 408 to a body that stops arriving, and frees its place', async () => {
    const app = await startApp({ limits: { bodyTimeoutMillis: 300, maxConcurrentRequests: 1 } });
    const stalled = await app.post({ headers: { 'content-length': 1000 }, withholdBody: true });
    expect(stalled.status).toBe(408);
    expect(stalled.json().errors[0]?.message).toMatch(/did not arrive in time/);
    expect((await app.post({ body: items('EventData') })).status).toBe(200);
  });

  it('with a session token required: a missing, tampered or expired token is refused with 403; a valid one passes', async () => {
    let now = Date.now();
    const app = await startApp({ sessionToken: { secret: 'a-secret-of-at-least-thirty-two-bytes!', maxAgeMillis: 60_000 }, tuning: { now: () => now } });
    const token = app.relay.issueSessionToken();
    const withToken = (t: string): string => `${app.origin}${app.relay.path}/${t}/v2/track`;
    expect((await app.post({ body: items('EventData') })).status).toBe(403);
    expect((await app.post({ body: items('EventData') }, withToken(`${token.slice(0, -2)}xx`))).status).toBe(403);
    const ok = await app.post({ body: items('EventData') }, withToken(token));
    expect(ok.status).toBe(200);
    now += 61_000;
    const expired = await app.post({ body: items('EventData') }, withToken(token));
    expect(expired.status).toBe(403);
    expect(expired.json().errors[0]?.message).toMatch(/expired; reload the page/);
  });

  it('clientIp none sends 0.0.0.0, so ingestion derives no location', async () => {
    const app = await startApp({ clientIp: 'none' });
    expect((await app.post({ body: items('EventData') })).status).toBe(200);
    await app.relay.flush();
    expect(emulator.items('customEvents')[0]).toMatchObject({ client_IP: '0.0.0.0' });
  });
});
