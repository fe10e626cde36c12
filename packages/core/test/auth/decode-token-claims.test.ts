import fc from 'fast-check';
import { decodeTokenClaims } from '../../src/auth/decode-token-claims';

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (payload: unknown): string => `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}.c2lnbmF0dXJl`;

describe('decodeTokenClaims', () => {
  it('returns the identity claims of a v1 token', () => {
    const claims = decodeTokenClaims(jwt({
      aud: 'https://monitor.azure.com', tid: 'tenant-1', oid: 'object-1', appid: 'app-1',
      iss: 'https://sts.windows.net/tenant-1/', exp: 1_700_000_000, roles: ['x'], name: 'ignored',
    }));
    expect(claims).toEqual({ aud: 'https://monitor.azure.com', tid: 'tenant-1', oid: 'object-1', appid: 'app-1', iss: 'https://sts.windows.net/tenant-1/', exp: 1_700_000_000 });
  });

  it('reads azp as appid and the first entry of an array audience (v2 tokens)', () => {
    expect(decodeTokenClaims(jwt({ aud: ['a', 'b'], azp: 'app-2' }))).toEqual({ aud: 'a', appid: 'app-2' });
  });

  it('decodes base64url payloads with - and _ and non-ASCII text', () => {
    const claims = decodeTokenClaims(jwt({ oid: 'ü>?~~~', tid: '???>>>' }));
    expect(claims).toEqual({ oid: 'ü>?~~~', tid: '???>>>' });
  });

  it('drops claims of the wrong type', () => {
    expect(decodeTokenClaims(jwt({ aud: 1, tid: null, exp: '1700000000', oid: {} }))).toEqual({});
  });

  it.each([
    ['empty', ''], ['no dots', 'abc'], ['two parts', 'a.b'], ['four parts', 'a.b.c.d'], ['payload not base64url', 'a.b*c.d'],
    ['payload not JSON', `a.${b64url('not json')}.c`], ['payload a JSON array', `a.${b64url([1, 2])}.c`], ['payload a JSON string', `a.${b64url('"s"')}.c`],
    ['payload null', `a.${b64url('null')}.c`], ['not a string', 42 as unknown as string], ['huge', `a.${'A'.repeat(100_000)}.c`],
  ])('returns undefined for %s', (_name, token) => {
    expect(decodeTokenClaims(token)).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.tuple(fc.string(), fc.string(), fc.string()).map((p) => p.join('.')),
      fc.jsonValue().map((v) => jwt(v))), (token) => {
      const claims = decodeTokenClaims(token);
      expect(claims === undefined || typeof claims === 'object').toBe(true);
    }), { numRuns: 1000 });
  });
});
