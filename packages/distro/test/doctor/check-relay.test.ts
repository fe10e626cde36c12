// The doctor's relay step against a local http server that answers like a browser relay: what the
// doctor posts (a page view as the browser SDK sends it, with the page's Origin) and how it reads
// each answer (200, 206, 400, 403, 404, 429, 503, a token in the answer, no answer).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StepResult } from '../../src/doctor/doctor-types';
import { checkRelay, relayTrackUrl } from '../../src/doctor/check-relay';

const IKEY = '11111111-2222-4333-8444-555555555555';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

interface Answer {
  readonly status: number;
  readonly body?: object | string;
  readonly headers?: Record<string, string>;
}

/** A loopback server answering every post with `answer`, recording what it was sent. */
async function fakeRelay(answer: (seen: Seen) => Answer): Promise<{ base: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const a = answer(request);
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const track = (received: number, accepted: number, errors: object[] = []): object => ({ itemsReceived: received, itemsAccepted: accepted, errors });
const APP = 'https://shop.example';

describe('relayTrackUrl', () => {
  it.each([
    ['https://app.example/ai-relay', 'https://app.example/ai-relay/v2/track'],
    ['https://app.example/ai-relay/', 'https://app.example/ai-relay/v2/track'],
    ['https://app.example', 'https://app.example/v2/track'],
    ['https://app.example/ai-relay/v2/track', 'https://app.example/ai-relay/v2/track'],
    ['https://app.example/ai-relay/v2.1/track', 'https://app.example/ai-relay/v2.1/track'],
    ['http://127.0.0.1:3000/ai/tok3n', 'http://127.0.0.1:3000/ai/tok3n/v2/track'],
  ])('%s -> %s', (given, expected) => {
    expect(relayTrackUrl(given).href).toBe(expected);
  });
});

describe('checkRelay', () => {
  it('posts one page view shaped like the browser SDK\'s, with the page\'s Origin and no token', async () => {
    const relay = await fakeRelay(() => ({ status: 200, body: track(1, 1) }));
    try {
      const { result, pageViewName } = await checkRelay({ relayUrl: `${relay.base}/ai-relay`, instrumentationKey: IKEY, timeoutMillis: 5000 });
      expect(result).toMatchObject({ step: 'relay', status: 'ok' });
      const [sent] = relay.seen;
      expect(sent).toMatchObject({ method: 'POST', path: '/ai-relay/v2/track' });
      expect(sent?.headers).toMatchObject({ 'content-type': 'application/json', origin: relay.base, referer: `${relay.base}/` });
      expect(sent?.headers.authorization).toBeUndefined();
      const items = JSON.parse(sent?.body ?? '') as { name: string; iKey: string; tags: Record<string, string>; data: { baseType: string; baseData: Record<string, unknown> } }[];
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        name: 'Microsoft.ApplicationInsights.11111111222243338444555555555555.Pageview', iKey: IKEY,
        tags: { 'ai.device.type': 'Browser' }, data: { baseType: 'PageviewData', baseData: { ver: 2, name: pageViewName, url: `${relay.base}/` } },
      });
    } finally {
      await relay.close();
    }
  });

  it.each<[string, Answer, string | undefined, Partial<StepResult>, RegExp, RegExp | undefined]>([
    ['200, same origin', { status: 200, body: track(1, 1) }, undefined, { status: 'ok' }, /accepted the page view \(as from a page on http:\/\/127\.0\.0\.1:\d+;/, undefined],
    ['200 for another origin, with its CORS header', { status: 200, body: track(1, 1), headers: { 'access-control-allow-origin': APP } }, APP, { status: 'ok' }, /as from a page on https:\/\/shop\.example/, undefined],
    ['200 for another origin, without a CORS header', { status: 200, body: track(1, 1) }, APP, { status: 'warn' }, /without Access-Control-Allow-Origin for https:\/\/shop\.example/, /add https:\/\/shop\.example to the relay's allowed origins/],
    ['206 with the relay\'s per-item error', { status: 206, body: track(1, 0, [{ index: 0, statusCode: 400, message: 'item type PageView is not admitted' }]) }, undefined, { status: 'fail' }, /^206 from .*: the relay refused the page view: 400 item type PageView is not admitted$/, /admitted item types/],
    ['400 malformed', { status: 400, body: track(0, 0, [{ index: 0, statusCode: 400, message: 'Invalid JSON' }]) }, undefined, { status: 'fail' }, /400 Invalid JSON/, /application\/json/],
    ['403, origin refused', { status: 403, body: track(0, 0, [{ index: 0, statusCode: 403, message: 'the page\'s origin is neither the app\'s own nor one of allowedOrigins' }]) }, APP, { status: 'fail' }, /403 from .*: the relay refused a page on https:\/\/shop\.example: 403 the page's origin/, /add https:\/\/shop\.example to the relay's allowed origins \(--origin/],
    ['403, session token refused', { status: 403, body: track(0, 0, [{ index: 0, statusCode: 403, message: 'the session token is missing; reload the page for a new one' }]) }, undefined, { status: 'fail' }, /session token is missing/, /per-session token/],
    ['404, nothing mounted there', { status: 404, body: 'Not Found' }, undefined, { status: 'fail' }, /nothing answers there: Not Found/, /mounted on/],
    ['429 with Retry-After', { status: 429, body: track(0, 0, [{ index: 0, statusCode: 429, message: 'too many items from this client' }]), headers: { 'retry-after': '7' } }, undefined, { status: 'warn' }, /the relay is limiting this client: 429 too many items from this client/, /retry in 7 s \(the relay's Retry-After\)/],
    ['503 busy', { status: 503, body: track(0, 0, [{ index: 0, statusCode: 503, message: 'the relay is busy' }]), headers: { 'retry-after': '2' } }, undefined, { status: 'warn' }, /the relay is busy/, /retry in 2 s/],
    ['a token in the answer', { status: 200, body: { access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21vbml0b3IifQ.sig' } }, undefined, { status: 'fail' }, /looks like a bearer token/, /never pass the server's token/],
  ])('%s', async (_name, answer, origin, expected, summary, fix) => {
    const relay = await fakeRelay(() => answer);
    try {
      const { result } = await checkRelay({ relayUrl: `${relay.base}/ai-relay`, instrumentationKey: IKEY, timeoutMillis: 5000, ...(origin !== undefined ? { origin } : {}) });
      expect(result).toMatchObject({ step: 'relay', ...expected });
      expect(result.summary).toMatch(summary);
      if (fix !== undefined) expect(result.fix).toMatch(fix);
      expect(relay.seen[0]?.headers.origin).toBe(origin ?? relay.base);
      expect(result.summary).not.toMatch(/eyJ[\w-]{10,}/);
    } finally {
      await relay.close();
    }
  });

  it('no answer: names the URL and the fix', async () => {
    const relay = await fakeRelay(() => ({ status: 200 }));
    await relay.close(); // nothing listens there now
    const { result } = await checkRelay({ relayUrl: `${relay.base}/ai-relay`, instrumentationKey: IKEY, timeoutMillis: 5000 });
    expect(result).toMatchObject({ step: 'relay', status: 'fail' });
    expect(result.summary).toContain(`could not reach ${relay.base}/ai-relay/v2/track`);
    expect(result.fix).toMatch(/IngestionEndpoint/);
  });
});
