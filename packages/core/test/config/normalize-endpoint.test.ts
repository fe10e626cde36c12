import * as path from 'node:path';
import { ConfigError } from '../../src/errors';
import { normalizeEndpoint } from '../../src/config/normalize-endpoint';
import { defaultStorageDirectory } from '../../src/config/default-storage-directory';

describe('normalizeEndpoint', () => {
  it.each([
    ['https://x.example.com', 'https://x.example.com'],
    ['https://x.example.com/', 'https://x.example.com'],
    ['  https://X.Example.com:8443/a/b/  ', 'https://x.example.com:8443/a/b'],
    ['http://127.0.0.1:1/', 'http://127.0.0.1:1'],
    ['http://[::1]/', 'http://[::1]'],
    ['http://localhost', 'http://localhost'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeEndpoint(input, 'where')).toBe(expected);
  });

  it.each([
    ['not a url', /where is not an absolute URL/], ['http://example.com', /where uses http:\/\//], ['ws://127.0.0.1', /must be an https/],
    ['file:///etc/passwd', /must be an https/], ['https://a:b@x.example.com', /user name or password/], ['https://x.example.com/#f', /query string or fragment/],
  ])('rejects %s', (input, message) => {
    expect(() => normalizeEndpoint(input, 'where')).toThrow(ConfigError);
    expect(() => normalizeEndpoint(input, 'where')).toThrow(message);
  });
});

describe('defaultStorageDirectory', () => {
  it('is stable for the same pair and never contains the key', () => {
    const ikey = '3a5b9c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d';
    const a = defaultStorageDirectory(ikey, 'https://dc.services.visualstudio.com');
    expect(defaultStorageDirectory(ikey, 'https://dc.services.visualstudio.com')).toBe(a);
    expect(defaultStorageDirectory(ikey, 'https://x.example.com')).not.toBe(a);
    expect(a).toMatch(/appinsights-otel(-\d+)?[/\\][0-9a-f]{64}$/);
    expect(a).not.toContain(ikey);
  });

  it('gives each user a folder of their own (a second user on a shared machine is not locked out by the first)', () => {
    const ikey = '3a5b9c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d';
    const [first, second, noUids] = [1000, 1001, null].map((uid) => defaultStorageDirectory(ikey, 'https://dc.services.visualstudio.com', uid));
    expect(path.basename(path.dirname(first as string))).toBe('appinsights-otel-1000');
    expect(path.basename(path.dirname(second as string))).toBe('appinsights-otel-1001');
    expect(path.basename(path.dirname(noUids as string))).toBe('appinsights-otel');
    expect(path.basename(first as string)).toBe(path.basename(second as string));
  });
});
