import { ConfigError } from '../../src/errors';
import { cloudOfEndpoint, deriveQueryScope, deriveScope } from '../../src/config/derive-scope';
import { normalizeAudience } from '../../src/config/normalize-audience';

describe('normalizeAudience', () => {
  it.each([
    ['https://monitor.azure.com', 'https://monitor.azure.com/.default'],
    ['https://monitor.azure.com/', 'https://monitor.azure.com/.default'],
    ['https://monitor.azure.com/.default', 'https://monitor.azure.com/.default'],
    ['https://monitor.azure.com//', 'https://monitor.azure.com/.default'],
    ['https://monitor.azure.com/.default/', 'https://monitor.azure.com/.default'],
    ['  HTTPS://Monitor.Azure.COM/.DEFAULT ', 'https://monitor.azure.com/.default'],
    ['https://monitor.azure.cn/', 'https://monitor.azure.cn/.default'],
    ['https://monitor.azure.us/.default', 'https://monitor.azure.us/.default'],
    ['https://monitor.azure.com:443', 'https://monitor.azure.com/.default'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/.default'],
    ['api://0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011', 'api://0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011/.default'],
    ['api://0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011/.default', 'api://0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011/.default'],
  ])('normalises %s to %s', (input, scope) => {
    expect(normalizeAudience(input, 'x')).toBe(scope);
  });

  it.each([
    ['contoso-audience.example'], ['contoso'], [''], ['/.default'], ['https://'], ['https://contoso.example/?x=1'],
    ['https://u:p@contoso.example'], ['https://contoso.example/#frag'],
  ])('rejects %j with a ConfigError that does not echo it', (input) => {
    let thrown: unknown;
    try {
      normalizeAudience(input, 'the audience option');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(/^the audience option /);
    expect((thrown as Error).message).not.toContain('contoso');
  });
});

describe('cloudOfEndpoint', () => {
  it.each([
    ['https://dc.services.visualstudio.com', 'public'],
    ['https://westeurope-5.in.applicationinsights.azure.com', 'public'],
    ['https://chinaeast2-0.in.applicationinsights.azure.cn', 'china'],
    ['https://dc.applicationinsights.azure.cn', 'china'],
    ['https://dc.applicationinsights.chinacloudapi.cn', 'china'],
    ['https://usgovvirginia-0.in.applicationinsights.azure.us', 'usgov'],
    ['https://dc.applicationinsights.us', 'usgov'],
    ['https://dc.applicationinsights.usgovcloudapi.net', 'usgov'],
    ['https://api.applicationinsights.us', 'usgov'],
    ['https://notazure.cn', 'public'],
    ['https://evil-azure.us.example.com', 'public'],
    ['http://127.0.0.1:1234', 'public'],
    [undefined, 'public'],
    ['not a url', 'public'],
  ])('%s is %s', (endpoint, cloud) => {
    expect(cloudOfEndpoint(endpoint)).toBe(cloud);
  });
});

describe('deriveScope', () => {
  // [description, input, scope] — one row per rule of DESIGN.md section 4
  it.each<[string, Parameters<typeof deriveScope>[0], string]>([
    ['default: public cloud', {}, 'https://monitor.azure.com/.default'],
    ['default endpoint', { ingestionEndpoint: 'https://dc.services.visualstudio.com' }, 'https://monitor.azure.com/.default'],
    ['public regional endpoint', { ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com' }, 'https://monitor.azure.com/.default'],
    ['loopback endpoint (emulator)', { ingestionEndpoint: 'http://127.0.0.1:4000' }, 'https://monitor.azure.com/.default'],
    ['*.azure.cn ingestion', { ingestionEndpoint: 'https://chinaeast2-0.in.applicationinsights.azure.cn' }, 'https://monitor.azure.cn/.default'],
    ['*.chinacloudapi.cn ingestion', { ingestionEndpoint: 'https://dc.applicationinsights.chinacloudapi.cn' }, 'https://monitor.azure.cn/.default'],
    ['*.azure.us ingestion', { ingestionEndpoint: 'https://usgovvirginia-0.in.applicationinsights.azure.us' }, 'https://monitor.azure.us/.default'],
    ['*.usgovcloudapi.net ingestion', { ingestionEndpoint: 'https://dc.applicationinsights.usgovcloudapi.net' }, 'https://monitor.azure.us/.default'],
    ['AADAudience without slash', { aadAudience: 'https://monitor.azure.com' }, 'https://monitor.azure.com/.default'],
    ['AADAudience with slash', { aadAudience: 'https://monitor.azure.com/' }, 'https://monitor.azure.com/.default'],
    ['AADAudience with /.default', { aadAudience: 'https://monitor.azure.com/.default' }, 'https://monitor.azure.com/.default'],
    ['AADAudience wins over the ingestion cloud', { aadAudience: 'https://monitor.azure.us/', ingestionEndpoint: 'https://x.azure.cn' }, 'https://monitor.azure.us/.default'],
    ['audience option wins over AADAudience', { audience: 'https://monitor.azure.cn', aadAudience: 'https://monitor.azure.us' }, 'https://monitor.azure.cn/.default'],
    ['audience option as a scope', { audience: 'https://monitor.azure.com/.default' }, 'https://monitor.azure.com/.default'],
    ['audience option with slash', { audience: 'https://monitor.azure.com/' }, 'https://monitor.azure.com/.default'],
  ])('%s', (_name, input, scope) => {
    expect(deriveScope(input)).toBe(scope);
  });

  it('never produces //.default', () => {
    for (const audience of ['https://monitor.azure.com/', 'https://monitor.azure.com//', 'https://monitor.azure.com//.default']) {
      expect(deriveScope({ audience })).not.toContain('//.default');
    }
  });

  it.each([
    ['audience option', { audience: 'monitor.azure.com' }, /the audience option is not an absolute URL/],
    ['AADAudience', { aadAudience: 'monitor' }, /AADAudience in the connection string is not an absolute URL/],
  ])('rejects a non-URL %s with a ConfigError', (_name, input, message) => {
    expect(() => deriveScope(input)).toThrow(ConfigError);
    expect(() => deriveScope(input)).toThrow(message);
  });
});

describe('deriveQueryScope', () => {
  it.each<[string, Parameters<typeof deriveQueryScope>[0], string]>([
    ['default', undefined, 'https://api.applicationinsights.io/.default'],
    ['public query endpoint', { queryEndpoint: 'https://api.applicationinsights.io' }, 'https://api.applicationinsights.io/.default'],
    ['China query endpoint', { queryEndpoint: 'https://api.applicationinsights.azure.cn' }, 'https://api.applicationinsights.azure.cn/.default'],
    ['US Gov query endpoint', { queryEndpoint: 'https://api.applicationinsights.us' }, 'https://api.applicationinsights.us/.default'],
    ['China from the ingestion endpoint', { ingestionEndpoint: 'https://chinaeast2-0.in.applicationinsights.azure.cn' }, 'https://api.applicationinsights.azure.cn/.default'],
    ['China from chinacloudapi.cn ingestion', { ingestionEndpoint: 'https://dc.applicationinsights.chinacloudapi.cn' }, 'https://api.applicationinsights.azure.cn/.default'],
    ['US Gov from the ingestion endpoint', { ingestionEndpoint: 'https://usgovvirginia-0.in.applicationinsights.azure.us' }, 'https://api.applicationinsights.us/.default'],
    ['US Gov from usgovcloudapi.net ingestion', { ingestionEndpoint: 'https://dc.applicationinsights.usgovcloudapi.net' }, 'https://api.applicationinsights.us/.default'],
    ['query endpoint wins over ingestion', { queryEndpoint: 'https://api.applicationinsights.us', ingestionEndpoint: 'https://x.azure.cn' }, 'https://api.applicationinsights.us/.default'],
    ['loopback query endpoint uses the ingestion cloud', { queryEndpoint: 'http://127.0.0.1:5000', ingestionEndpoint: 'https://x.azure.cn' }, 'https://api.applicationinsights.azure.cn/.default'],
    ['explicit audience wins', { audience: 'https://api.applicationinsights.io/', queryEndpoint: 'https://api.applicationinsights.us' }, 'https://api.applicationinsights.io/.default'],
  ])('%s', (_name, input, scope) => {
    expect(deriveQueryScope(input)).toBe(scope);
  });

  it('rejects a non-URL audience', () => {
    expect(() => deriveQueryScope({ audience: 'applicationinsights' })).toThrow(ConfigError);
  });
});
