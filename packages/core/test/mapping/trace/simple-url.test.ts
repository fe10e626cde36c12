import fc from 'fast-check';
import { simpleUrlParts } from '../../../src/mapping/trace/simple-url';

/** What the WHATWG URL parser says: the reference the fast path must agree with whenever it answers. */
function parserParts(url: string): { scheme: string; pathname: string } | undefined {
  return URL.canParse(url) ? { scheme: new URL(url).protocol.replace(/:$/, ''), pathname: new URL(url).pathname } : undefined;
}

describe('simpleUrlParts', () => {
  it.each([
    ['http://127.0.0.1:3000/orders/1', { scheme: 'http', pathname: '/orders/1' }],
    ['https://api.example.com/v1/items?id=3&x=%20y#top', { scheme: 'https', pathname: '/v1/items' }],
    ['http://localhost', { scheme: 'http', pathname: '/' }],
    ['http://localhost?q', { scheme: 'http', pathname: '/' }],
    ['http://Example.COM./a/b/', { scheme: 'http', pathname: '/a/b/' }],
    ['http://h/a%20b/~user/(x)*,;=:@!$&\'+', { scheme: 'http', pathname: '/a%20b/~user/(x)*,;=:@!$&\'+' }],
    ['http://h//double', { scheme: 'http', pathname: '//double' }],
    ['http://h:65535/p', { scheme: 'http', pathname: '/p' }],
    ['http://h/a.b/..c/.d', { scheme: 'http', pathname: '/a.b/..c/.d' }],
  ])('reads %s', (url, parts) => {
    expect(simpleUrlParts(url)).toEqual(parts);
    expect(parserParts(url)).toEqual(parts);
  });

  it.each([
    'HTTP://h/p', 'ftp://h/p', 'http://h:65536/p', 'http://h:/p', 'http://u@h/p', 'http://[::1]/p', 'http://h/a b', 'http://h/a\tb',
    'http://h/./a', 'http://h/a/..', 'http://h/a/%2e%2E/b', 'http://h/a/.%2e', 'http://h\\a', 'http://h/a\\b', 'http://h/é', ' http://h/',
    'http://h/a ', 'http://999/p', 'http://1.2.3/p', 'http://0x7f.0.0.1/p', 'http://01.2.3.4/p', 'http://1.2.3.256/p', 'http://a.0x1/p',
    'http://xn--abc.com/p', 'http://a..b/p', 'http://./p', 'http://h/a"b', 'http://h/a<b>', 'http://h/a{b}', 'http://h/a`b', 'http://h/a^b', 'http://h/a|b',
    'http:/h/p', 'http:h/p', 'http:///h/p',
  ])('leaves %j to the URL parser', (url) => {
    expect(simpleUrlParts(url)).toBeUndefined();
  });

  it('agrees with the URL parser on every URL it answers (generated)', () => {
    const pick = (chars: string) => fc.constantFrom(...chars.split(''));
    const piece = fc.oneof(
      fc.constantFrom('http://', 'https://', 'HTTP://', 'http:/', '/', '.', '..', '%2e', '%2E', '%', ':', '@', '?', '#', 'xn--', '0x', '.1', '999', '1.2.3.4', '[::1]', '\t', ' ', '\\'),
      fc.string({ unit: pick('abcXYZ019-._~!$&\'()*+,;=:@/%?#\\ "<>`{}^|é'), minLength: 1, maxLength: 4 }),
    );
    const url = fc.tuple(fc.constantFrom('http://', 'https://', 'http://a', 'https://127.0.0.1:8080'), fc.array(piece, { maxLength: 8 }))
      .map(([start, rest]) => start + rest.join(''));
    fc.assert(fc.property(url, (text) => {
      const fast = simpleUrlParts(text);
      if (fast !== undefined) expect(parserParts(text)).toEqual(fast);
    }), { numRuns: 20_000 });
  });
});
