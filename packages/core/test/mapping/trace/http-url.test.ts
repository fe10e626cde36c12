import { createAttributeReader } from '../../../src/mapping/common/attributes/attribute-reader';
import { readHttpFacts, type HttpFacts } from '../../../src/mapping/trace/http-url';

describe('readHttpFacts', () => {
  it.each<[string, Record<string, unknown>, HttpFacts | undefined]>([
    ['no method: not HTTP', { 'url.full': 'http://a/b' }, undefined],
    ['absolute url.full: path and host from the one parse', { 'http.request.method': 'GET', 'url.full': 'https://api.example:8443/items/1?x=1', 'http.response.status_code': 200 },
      { method: 'GET', url: 'https://api.example:8443/items/1?x=1', path: '/items/1', host: 'api.example:8443', statusCode: 200 }],
    ['server.address wins over the URL host; default port left out', { 'http.request.method': 'GET', 'url.full': 'https://x/p', 'server.address': 'api', 'server.port': 443 },
      { method: 'GET', url: 'https://x/p', path: '/p', host: 'api' }],
    ['url.full that does not parse: kept as given, path from url.path', { 'http.request.method': 'POST', 'url.full': 'not a url', 'url.path': '/orders', 'server.address': 'shop' },
      { method: 'POST', url: 'not a url', path: '/orders', host: 'shop' }],
    ['relative http.url (old name): kept, path from http.target without the query', { 'http.method': 'GET', 'http.url': '/a/b?c=1', 'http.target': '/a/b?c=1' },
      { method: 'GET', url: '/a/b?c=1', path: '/a/b' }],
  ])('%s', (_name, attributes, expected) => {
    expect(readHttpFacts(createAttributeReader(attributes))).toEqual(expected);
  });
});
