import { parseRetryAfter } from '../../src/transport/parse-retry-after';
import { parseClaimsChallenge } from '../../src/transport/parse-claims-challenge';

const NOW = Date.parse('2026-11-27T14:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[Record<string, string | string[]>, number | undefined]>([
    [{}, undefined],
    [{ 'retry-after': '2' }, 2_000],
    [{ 'retry-after': ' 1.5 ' }, 1_500],
    [{ 'retry-after': 'Fri, 27 Nov 2026 14:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Fri, 27 Nov 2026 13:00:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '-5' }, undefined],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'x-ms-retry-after-ms': '1200', 'retry-after': '9' }, 1_200],
    [{ 'retry-after-ms': 'junk', 'retry-after': '9' }, 9_000],
    [{ 'retry-after': ['3', '4'] }, 3_000],
  ])('%j -> %s', (headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });
});

describe('parseClaimsChallenge', () => {
  it('returns the claims parameter of a WWW-Authenticate challenge', () => {
    expect(parseClaimsChallenge({
      'www-authenticate': 'Bearer authorization_uri="https://login.example/x", error="insufficient_claims", claims="eyJhIjoxfQ=="',
    })).toBe('eyJhIjoxfQ==');
  });
  it.each([{}, { 'www-authenticate': 'Bearer error="invalid_token"' }, { 'www-authenticate': 'Bearer claims=""' }])(
    'returns undefined without claims: %j', (headers) => {
      expect(parseClaimsChallenge(headers)).toBeUndefined();
    });
});
