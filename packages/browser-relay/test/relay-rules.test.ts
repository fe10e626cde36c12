import { ConfigError } from '@appinsights-otel/core';
import { admitItem, type AdmitContext } from '../src/admit-item';
import { admitItems } from '../src/admit-items';
import { checkOrigin } from '../src/check-origin';
import { matchRelayPath } from '../src/match-relay-path';
import { parseTrackBody } from '../src/parse-track-body';
import { resolveClientIp } from '../src/resolve-client-ip';
import { resolveRelaySettings } from '../src/resolve-relay-settings';
import { createSessionTokens } from '../src/session-tokens';
import { createClientBuckets, createTokenBucket } from '../src/token-bucket';
import { browserItem, SERVER_IKEY } from '../../../test/fixtures/browser-relay/browser-items';

const CTX: AdmitContext = { instrumentationKey: SERVER_IKEY, browserInstrumentationKey: SERVER_IKEY, roleName: 'shop-browser', clientIp: '203.0.113.7', nowMillis: Date.now(), minSampleRate: 1 };
const NO_DASHES = SERVER_IKEY.replace(/-/g, '');

describe('admitItem', () => {
  it.each([
    ['PageviewData', 'PageViewData', 'PageView'],
    ['PageviewPerformanceData', 'PageViewPerfData', 'PageViewPerformance'],
    ['PageViewData', 'PageViewData', 'PageView'],
    ['PageViewPerfData', 'PageViewPerfData', 'PageViewPerformance'],
    ['RemoteDependencyData', 'RemoteDependencyData', 'RemoteDependency'],
    ['ExceptionData', 'ExceptionData', 'Exception'],
    ['MessageData', 'MessageData', 'Message'],
    ['EventData', 'EventData', 'Event'],
    ['MetricData', 'MetricData', 'Metric'],
  ])('admits %s as %s (envelope name ...%s) with the server key, role and client IP', (sent, baseType, name) => {
    const admission = admitItem(browserItem(sent), CTX);
    expect(admission).toEqual({
      ok: true,
      envelope: expect.objectContaining({
        ver: 1, iKey: SERVER_IKEY, name: `Microsoft.ApplicationInsights.${name}`,
        data: expect.objectContaining({ baseType }) as unknown,
        tags: expect.objectContaining({ 'ai.cloud.role': 'shop-browser', 'ai.location.ip': '203.0.113.7', 'ai.operation.id': expect.any(String) as unknown }) as unknown,
      }) as unknown,
    });
  });

  it.each([
    ['RequestData', /not browser telemetry/],
    ['AvailabilityData', /not browser telemetry/],
    ['toString', /not browser telemetry/],
  ])('refuses %s with a per-item 400', (baseType, message) => {
    expect(admitItem(browserItem(baseType), CTX)).toEqual({ ok: false, statusCode: 400, message: expect.stringMatching(message) as unknown });
  });

  it.each([
    ['another resource', { ...browserItem('EventData'), iKey: '99999999-2222-4333-8444-555555555555' }, /another resource/],
    ['no key', { ...browserItem('EventData'), iKey: undefined }, /another resource/],
    ['no time', { ...browserItem('EventData'), time: 12 }, /no time/],
    ['no data', { ...browserItem('EventData'), data: 'x' }, /data\.baseType/],
    ['an array', [browserItem('EventData')], /not a JSON object/],
    ['null', null, /not a JSON object/],
  ])('refuses an item with %s', (_case, item, message) => {
    expect(admitItem(item, CTX)).toEqual({ ok: false, statusCode: 400, message: expect.stringMatching(message) as unknown });
  });

  it('accepts the page key without dashes or in upper case, and overrides role, role instance and IP the page claims', () => {
    const item = { ...browserItem('EventData'), iKey: NO_DASHES.toUpperCase() };
    item.tags = { ...item.tags, 'ai.cloud.role': 'api-server', 'ai.cloud.roleInstance': 'vm-1', 'ai.location.ip': '10.0.0.1', 'ai.user.id': 7 as unknown as string };
    const admission = admitItem(item, CTX);
    if (!admission.ok) throw new Error(admission.message);
    expect(admission.envelope.tags['ai.cloud.role']).toBe('shop-browser');
    expect(admission.envelope.tags['ai.location.ip']).toBe('203.0.113.7');
    expect(admission.envelope.tags).not.toHaveProperty('ai.cloud.roleInstance');
    expect(admission.envelope.tags).not.toHaveProperty('ai.user.id');
  });

  it('keeps only the contract\'s envelope fields', () => {
    const admission = admitItem({ ...browserItem('EventData'), aiDataContract: { x: 1 }, extra: 'junk', sampleRate: 50 }, CTX);
    if (!admission.ok) throw new Error(admission.message);
    expect(Object.keys(admission.envelope).sort()).toEqual(['data', 'iKey', 'name', 'sampleRate', 'tags', 'time', 'ver']);
  });
});

describe('admitItems', () => {
  it('numbers errors by the item\'s index in the body', () => {
    const result = admitItems([
      { ok: true, value: browserItem('EventData') },
      { ok: false, message: 'the line is not valid JSON' },
      { ok: true, value: browserItem('RequestData') },
      { ok: true, value: browserItem('MessageData') },
    ], CTX);
    expect(result.envelopes).toHaveLength(2);
    expect(result.errors.map((e) => [e.index, e.statusCode])).toEqual([[1, 400], [2, 400]]);
  });
});

describe('checkOrigin', () => {
  const allowed = new Set(['https://cdn.example.com']);
  it.each([
    ['same origin by Origin', { origin: 'https://app.example.com', host: 'app.example.com' }, { allowed: true }],
    ['same origin behind TLS termination (scheme differs)', { origin: 'https://app.example.com', host: 'APP.example.com' }, { allowed: true }],
    ['same origin with a port', { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' }, { allowed: true }],
    ['same origin by Referer when Origin is absent', { referer: 'https://app.example.com/page?q=1', host: 'app.example.com' }, { allowed: true }],
    ['an allowed cross origin, with CORS', { origin: 'https://cdn.example.com', host: 'app.example.com' }, { allowed: true, corsOrigin: 'https://cdn.example.com' }],
    ['another site', { origin: 'https://evil.example', host: 'app.example.com' }, { allowed: false, reason: expect.stringMatching(/neither the app's own/) }],
    ['another port of the same host', { origin: 'http://127.0.0.1:9090', host: '127.0.0.1:8080' }, { allowed: false, reason: expect.any(String) }],
    ['neither Origin nor Referer', { host: 'app.example.com' }, { allowed: false, reason: expect.stringMatching(/neither an Origin nor a Referer/) }],
    ['the opaque origin null', { origin: 'null', host: 'app.example.com' }, { allowed: false, reason: expect.stringMatching(/not a URL origin/) }],
    ['garbage', { origin: '::::', host: 'app.example.com' }, { allowed: false, reason: expect.any(String) }],
  ])('%s', (_case, headers, expected) => {
    expect(checkOrigin(headers, allowed)).toEqual(expected);
  });
});

describe('resolveClientIp', () => {
  it.each([
    ['the socket address by default', '198.51.100.1', '203.0.113.9', 0, '198.51.100.1'],
    ['an IPv4-mapped socket address as IPv4', '::ffff:198.51.100.1', undefined, 0, '198.51.100.1'],
    ['IPv6 as is', '2001:db8::1', undefined, 0, '2001:db8::1'],
    ['the last X-Forwarded-For entry with one trusted proxy', '10.0.0.2', '1.1.1.1, 203.0.113.9', 1, '203.0.113.9'],
    ['the second from the right with two trusted proxies', '10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.1', 2, '203.0.113.9'],
    ['the leftmost when the header has fewer entries than proxies', '10.0.0.2', '203.0.113.9', 3, '203.0.113.9'],
    ['the socket when a proxy is trusted but no header came', '10.0.0.2', undefined, 1, '10.0.0.2'],
    ['nothing for a forged non-address', '10.0.0.2', 'not-an-ip', 1, undefined],
  ])('%s', (_case, remote, forwarded, hops, expected) => {
    expect(resolveClientIp(remote, forwarded, hops)).toBe(expected);
  });
});

describe('matchRelayPath', () => {
  it.each([
    ['/ai-relay/v2/track', { endpoint: 'track' }],
    ['/ai-relay/v2.1/track', { endpoint: 'track' }],
    ['/ai-relay/v2/track?x=1', { endpoint: 'track' }],
    ['/ai-relay/v1.abc.def.ghi/v2/track', { endpoint: 'track', token: 'v1.abc.def.ghi' }],
    ['/ai-relay/other', { endpoint: 'other' }],
    ['/ai-relay', { endpoint: 'other' }],
    ['/ai-relayx/v2/track', undefined],
    ['/api/items', undefined],
  ])('%s', (url, expected) => {
    expect(matchRelayPath(url, '/ai-relay')).toEqual(expected);
  });
});

describe('parseTrackBody', () => {
  it('parses a JSON array, newline-delimited JSON and a single object', () => {
    expect(parseTrackBody('[{"a":1},{"b":2}]', 10)).toEqual({ kind: 'items', items: [{ ok: true, value: { a: 1 } }, { ok: true, value: { b: 2 } }] });
    expect(parseTrackBody('{"a":1}\n\n{"b":2}\n', 10)).toEqual({ kind: 'items', items: [{ ok: true, value: { a: 1 } }, { ok: true, value: { b: 2 } }] });
    expect(parseTrackBody('{"a":1}', 10)).toEqual({ kind: 'items', items: [{ ok: true, value: { a: 1 } }] });
  });
  it('gives a bad line its own error and keeps the others', () => {
    const parsed = parseTrackBody('{"a":1}\n{oops\n{"b":2}', 10);
    expect(parsed.kind === 'items' && parsed.items.map((i) => i.ok)).toEqual([true, false, true]);
  });
  it.each([
    ['', /empty/],
    ['[{"a":1}', /not valid JSON/],
    ['[1,2', /not valid JSON/],
  ])('refuses %j as a whole', (text, message) => {
    expect(parseTrackBody(text, 10)).toEqual({ kind: 'invalid', message: expect.stringMatching(message) as unknown });
  });
  it('counts items against the bound in both formats', () => {
    expect(parseTrackBody(JSON.stringify(new Array(11).fill({})), 10)).toEqual({ kind: 'too-many', count: 11 });
    expect(parseTrackBody(new Array(11).fill('{}').join('\n'), 10)).toEqual({ kind: 'too-many', count: 11 });
  });
});

describe('token buckets', () => {
  it('grants up to the burst, then tells how long until the tokens are back', () => {
    const bucket = createTokenBucket(10, 100, 0);
    expect(bucket.take(100, 0)).toBe(0);
    expect(bucket.take(1, 0)).toBe(100);
    expect(bucket.waitForOne(0)).toBe(100);
    expect(bucket.take(20, 1_000)).toBe(1_000); // 10 back after 1 s, 20 asked
    expect(bucket.take(10, 1_000)).toBe(0);
  });
  it('never holds more than the burst', () => {
    const bucket = createTokenBucket(10, 100, 0);
    expect(bucket.take(101, 1_000_000)).toBe(100);
  });
  it('remembers at most maxClients clients, forgetting the least recently seen', () => {
    const clients = createClientBuckets(1, 5, 100);
    const first = clients.bucketOf('client-0', 0);
    first.take(5, 0);
    for (let i = 1; i < 5_000; i++) clients.bucketOf(`client-${i}`, 0);
    expect(clients.size).toBe(100);
    expect(clients.bucketOf('client-0', 0).take(5, 0)).toBe(0); // forgotten, so a fresh bucket
    const kept = clients.bucketOf('client-4999', 0);
    kept.take(5, 0);
    expect(clients.bucketOf('client-4999', 0).take(1, 0)).toBeGreaterThan(0);
  });
});

describe('session tokens', () => {
  const secret = new Uint8Array(32).fill(7);
  it('verifies what it issued until it expires', () => {
    let now = 1_000_000;
    const tokens = createSessionTokens(secret, 60_000, () => now);
    const token = tokens.issue();
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(tokens.verify(token)).toBe('ok');
    now += 60_001;
    expect(tokens.verify(token)).toBe('expired');
  });
  it.each([
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['not four parts', 'v1.abc', 'invalid'],
  ])('refuses a %s token', (_case, token, verdict) => {
    expect(createSessionTokens(secret, 60_000, () => 0).verify(token)).toBe(verdict);
  });
  it('refuses a token whose expiry was changed, or signed with another secret', () => {
    const tokens = createSessionTokens(secret, 60_000, () => 0);
    const [v, exp, nonce, mac] = tokens.issue().split('.') as [string, string, string, string];
    expect(tokens.verify([v, (parseInt(exp, 36) * 2).toString(36), nonce, mac].join('.'))).toBe('invalid');
    expect(createSessionTokens(new Uint8Array(32).fill(8), 60_000, () => 0).verify([v, exp, nonce, mac].join('.'))).toBe('invalid');
  });
});

describe('resolveRelaySettings', () => {
  it('defaults: /ai-relay, same origin only, <service>-browser, socket address', () => {
    const settings = resolveRelaySettings({}, { OTEL_SERVICE_NAME: 'shop' });
    expect(settings).toMatchObject({ path: '/ai-relay', roleName: 'shop-browser', proxyHops: 0, clientIp: 'connection' });
    expect(settings.allowedOrigins.size).toBe(0);
    expect(resolveRelaySettings({}, {}).roleName).toBe('unknown_service-browser');
    expect(resolveRelaySettings({ serviceName: 'shop', roleSuffix: '.web' }, {}).roleName).toBe('shop.web');
    expect(resolveRelaySettings({ roleName: 'front', trustProxy: true, path: '/t/' }, {})).toMatchObject({ roleName: 'front', proxyHops: 1, path: '/t' });
  });
  it.each([
    [{ path: 'relay' }, /path must start with/],
    [{ path: '/a//b' }, /path must start with/],
    [{ allowedOrigins: ['https://a.example/page'] }, /not a bare origin; write "https:\/\/a.example"/],
    [{ allowedOrigins: ['*'] }, /must be an origin/],
    [{ trustProxy: -1 }, /trustProxy/],
    [{ limits: { maxBodyBytes: 0 } }, /limits.maxBodyBytes must be a positive number/],
    [{ limits: { maxItemsPerRequest: 1000, clientBurstItems: 10 } }, /at least limits.maxItemsPerRequest/],
    [{ sessionToken: { secret: 'short' } }, /at least 32 bytes/],
    [{ roleName: ' ' }, /roleName is empty/],
  ])('refuses %j with a ConfigError naming the fix', (options, message) => {
    expect(() => resolveRelaySettings(options, {})).toThrow(ConfigError);
    expect(() => resolveRelaySettings(options, {})).toThrow(message);
  });
});
