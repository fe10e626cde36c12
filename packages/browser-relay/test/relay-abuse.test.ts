import { admitItem, type AdmitContext } from '../src/admit-item';
import { clientKeyOf, resolveClientIp } from '../src/resolve-client-ip';
import { redactToken } from '../src/redact-token-on-span';
import { createSessionTokens } from '../src/session-tokens';
import { browserItem, SERVER_IKEY } from '../../../test/fixtures/browser-relay/browser-items';

// Hostile items and headers, found by attacking the relay: each case failed before its fix.

const NOW = Date.parse('2026-12-07T05:00:00.000Z');
const CTX = {
  instrumentationKey: SERVER_IKEY, browserInstrumentationKey: SERVER_IKEY, roleName: 'shop-browser', clientIp: '203.0.113.7',
  nowMillis: NOW, minSampleRate: 1,
} as AdmitContext;

const event = (baseData: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): ReturnType<typeof browserItem> => {
  const item = { ...browserItem('EventData'), time: new Date(NOW).toISOString(), ...extra };
  item.data = { baseType: 'EventData', baseData: { ver: 2, name: 'clicked', properties: {}, measurements: {}, ...baseData } };
  return item;
};

function admitted(item: unknown): ReturnType<typeof event> {
  const admission = admitItem(item, CTX);
  if (!admission.ok) throw new Error(admission.message);
  return admission.envelope as unknown as ReturnType<typeof event>;
}

const refusedWith = (item: unknown): string => {
  const admission = admitItem(item, CTX);
  return admission.ok ? 'admitted' : admission.message;
};

describe('admitItem against hostile items', () => {
  it('refuses nesting deeper than the contract has (it would overflow the stack when delivery serializes it)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(refusedWith(event({ properties: { p: deep } }))).toMatch(/nested deeper than/);
  });

  it('refuses numbers JSON cannot carry (1e400 parses to Infinity and is sent as null)', () => {
    const item = JSON.parse(JSON.stringify(event()).replace('"measurements":{}', '"measurements":{"m":1e400}')) as unknown;
    expect(refusedWith(item)).toMatch(/number that is not finite/);
  });

  it.each([
    ['a time that is not an ISO date-time', 'yesterday', /not an ISO 8601 date-time/],
    ['a time older than ingestion keeps (48 hours)', new Date(NOW - 49 * 3_600_000).toISOString(), /older than 48 hours/],
    ['a time far in the future', new Date(NOW + 25 * 3_600_000).toISOString(), /in the future/],
  ])('refuses %s', (_case, time, message) => {
    expect(refusedWith(event({}, { time }))).toMatch(message);
  });

  it('keeps a time a little ahead (a browser clock off by minutes)', () => {
    expect(admitted(event({}, { time: new Date(NOW + 5 * 60_000).toISOString() })).time).toBe(new Date(NOW + 5 * 60_000).toISOString());
  });

  it.each([
    ['a rate below the floor is raised to it, so one item counts for at most 100', 0.0001, 1],
    ['a usual rate is kept', 25, 25],
    ['0 is dropped (the item counts once)', 0, undefined],
    ['over 100 is dropped', 500, undefined],
    ['a negative rate is dropped', -5, undefined],
  ])('sampleRate: %s', (_case, sampleRate, expected) => {
    expect(admitted(event({}, { sampleRate })).sampleRate).toBe(expected);
  });

  it('keeps context tags only (ai.<area>.<name>), at most 32, each cut to the length the service accepts', () => {
    const item = event();
    item.tags = {
      ...item.tags, 'ai.session.id': 's'.repeat(500), 'ai.device.browser': 'b'.repeat(5_000), 'x-junk': 'y'.repeat(1000), 'ai.internal.nodeName': 'db-server-1',
      ...Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`ai.fake.f${i}`, 'z'])),
    };
    const tags = admitted(item).tags;
    expect(tags['ai.session.id']).toHaveLength(64);
    expect(tags['ai.device.browser']).toHaveLength(256);
    expect(Object.keys(tags)).toHaveLength(32 + 2);
    expect(tags).toMatchObject({ 'ai.user.id': 'u1', 'ai.operation.id': item.tags['ai.operation.id'], 'ai.internal.sdkVersion': 'javascript:3.4.4' });
    expect(tags).not.toHaveProperty('x-junk');
    expect(tags).not.toHaveProperty('ai.internal.nodeName');
  });

  it('never pollutes prototypes with __proto__ keys in tags or data', () => {
    const text = JSON.stringify(event()).replace('"tags":{', '"tags":{"__proto__":{"polluted":"yes"},').replace('"properties":{}', '"properties":{"__proto__":{"polluted":"yes"},"k":"v"}');
    const envelope = admitted(JSON.parse(text));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(envelope.tags)).toBe(Object.prototype);
    expect((envelope.data as { baseData: { properties: Record<string, unknown> } }).baseData.properties).toEqual({ k: 'v' });
  });

  it('caps an item to the service\'s 64 KB item limit and its property limits (billing amplification)', () => {
    const properties: Record<string, string> = { ['k'.repeat(300)]: 'short', big: 'v'.repeat(20_000) };
    for (let i = 0; i < 100; i++) properties[`p${i}`] = 'w'.repeat(8_000);
    const envelope = admitted(event({ properties }));
    const kept = (envelope.data as { baseData: { properties: Record<string, string> } }).baseData.properties;
    expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThanOrEqual(64 * 1024);
    expect(Object.keys(kept).every((key) => key.length <= 150)).toBe(true);
    expect(Object.values(kept).every((value) => value.length <= 8_192)).toBe(true);
    expect(kept['k'.repeat(150)]).toBe('short');
  });
});

describe('client addresses from proxies', () => {
  it.each([
    ['an IPv4 entry with a port (Azure App Service appends one)', '203.0.113.9:51234', '203.0.113.9'],
    ['a bracketed IPv6 entry with a port', '[2001:db8::7]:443', '2001:db8::7'],
    ['a bracketed IPv6 entry without a port', '[2001:db8::7]', '2001:db8::7'],
  ])('%s', (_case, forwarded, expected) => {
    expect(resolveClientIp('10.0.0.2', forwarded, 1)).toBe(expected);
  });

  it('keys the rate limit of IPv6 clients by their /64, which one subscriber holds whole', () => {
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe(clientKeyOf('2001:db8:1:2:bbbb:cccc:dddd:2'));
    expect(clientKeyOf('2001:db8:1:2::1')).not.toBe(clientKeyOf('2001:db8:1:3::1'));
    expect(clientKeyOf('::1')).toBe(clientKeyOf('0:0:0:0:1:2:3:4'));
    expect(clientKeyOf('64:ff9b::198.51.100.1')).toBe(clientKeyOf('64:ff9b::1'));
    expect(clientKeyOf('fe80::1%eth0')).toBe(clientKeyOf('fe80::2'));
    expect(clientKeyOf('203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('session tokens against a shortened lifetime', () => {
  it('refuses a token whose expiry lies beyond the lifetime now configured (issued before maxAgeMillis was lowered)', () => {
    const secret = new Uint8Array(32).fill(7);
    const longLived = createSessionTokens(secret, 8 * 3_600_000, () => 0).issue();
    expect(createSessionTokens(secret, 60_000, () => 0).verify(longLived)).toBe('invalid');
  });
});

describe('redactToken', () => {
  it.each([
    ['/ai-relay/v1.a.b.c/v2/track', '/ai-relay/:token/v2/track'],
    ['/ai-relay/v1.a.b.c/v2.1/track?x=1', '/ai-relay/:token/v2.1/track?x=1'],
    ['/ai-relay/v2/track', '/ai-relay/v2/track'],
  ])('%s', (target, expected) => {
    expect(redactToken(target, 'v1.a.b.c')).toBe(expected);
  });
});
