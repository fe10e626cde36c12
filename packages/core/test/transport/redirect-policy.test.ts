import { isAllowedRedirectTarget, resolveRedirectLocation } from '../../src/transport/redirect-policy';
import { isSecureForBearer } from '../../src/transport/is-secure-for-bearer';

describe('isAllowedRedirectTarget', () => {
  it.each<[string, string, boolean]>([
    ['https://westeurope-5.in.applicationinsights.azure.com', 'https://westeurope-5.in.applicationinsights.azure.com:8443/v2.1/track', true],
    ['https://westeurope-5.in.applicationinsights.azure.com', 'https://eastus-8.in.applicationinsights.azure.com/v2.1/track', true],
    ['https://dc.services.visualstudio.com', 'https://westus2-1.in.applicationinsights.azure.com/v2.1/track', true],
    ['https://westus2-1.in.applicationinsights.azure.com', 'https://dc.services.visualstudio.com/v2.1/track', true],
    ['https://westus2-1.in.applicationinsights.azure.com', 'http://eastus-8.in.applicationinsights.azure.com/v2.1/track', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'https://chinaeast2-0.in.applicationinsights.azure.cn/v2.1/track', false],
    ['https://chinaeast2-0.in.applicationinsights.azure.cn', 'https://chinanorth3-0.in.applicationinsights.azure.cn/v2.1/track', true],
    ['https://usgovvirginia-1.in.applicationinsights.azure.us', 'https://usgovarizona-0.in.applicationinsights.azure.us/x', true],
    ['https://usgovvirginia-1.in.applicationinsights.azure.us', 'https://westus2-1.in.applicationinsights.azure.com/x', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'https://applicationinsights.azure.com.evil.example/v2.1/track', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'https://evilapplicationinsights.azure.com/v2.1/track', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'https://services.visualstudio.com/v2.1/track', false],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:5000/v2.1/track', true],
    ['http://127.0.0.1:4000', 'http://localhost:5000/v2.1/track', false],
    ['http://127.0.0.1:4000', 'http://127.0.0.2:4000/v2.1/track', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'http://127.0.0.1/v2.1/track', false],
    ['https://westus2-1.in.applicationinsights.azure.com', 'file:///etc/passwd', false],
    // never a downgrade to clear text, not even on the configured host (a 308 would make it permanent)
    ['https://westus2-1.in.applicationinsights.azure.com', 'http://westus2-1.in.applicationinsights.azure.com/v2.1/track', false],
    ['https://dc.services.visualstudio.com', 'http://dc.services.visualstudio.com:80/v2/track', false],
  ])('%s -> %s: %s', (configured, target, allowed) => {
    expect(isAllowedRedirectTarget(new URL(configured), new URL(target))).toBe(allowed);
  });
});

describe('resolveRedirectLocation', () => {
  const current = new URL('https://a.in.applicationinsights.azure.com/v2.1/track');
  it('resolves relative and absolute locations keeping path and query', () => {
    expect(resolveRedirectLocation(current, '/v2.1/track?x=1')?.href).toBe('https://a.in.applicationinsights.azure.com/v2.1/track?x=1');
    expect(resolveRedirectLocation(current, 'https://b.in.applicationinsights.azure.com/p/v2.1/track')?.href).toBe('https://b.in.applicationinsights.azure.com/p/v2.1/track');
  });
  it.each([undefined, '', 'http://[bad'])('returns undefined for %j', (location) => {
    expect(resolveRedirectLocation(current, location)).toBeUndefined();
  });
});

describe('isSecureForBearer', () => {
  it.each<[string, boolean]>([
    ['https://x.in.applicationinsights.azure.com/v2.1/track', true],
    ['http://x.in.applicationinsights.azure.com/v2.1/track', false],
    ['http://127.0.0.1:3000/v2.1/track', true], ['http://127.8.9.10/v2.1/track', true],
    ['http://[::1]:3000/v2.1/track', true], ['http://localhost:3000/v2.1/track', true],
    ['http://128.0.0.1/v2.1/track', false], ['http://localhost.example.com/v2.1/track', false],
    ['ws://127.0.0.1/v2.1/track', false],
  ])('%s -> %s', (url, secure) => expect(isSecureForBearer(new URL(url))).toBe(secure));
});
