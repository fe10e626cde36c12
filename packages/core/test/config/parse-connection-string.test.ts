import fc from 'fast-check';
import { ConfigError } from '../../src/errors';
import { DEFAULT_INGESTION_ENDPOINT, parseConnectionString } from '../../src/config/parse-connection-string';

const IKEY = '3a5b9c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d';
const IKEY_UPPER = IKEY.toUpperCase();

describe('parseConnectionString', () => {
  it('parses a typical Azure public cloud string', () => {
    const cs = parseConnectionString(
      `InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;`
      + 'LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011',
    );
    expect(cs).toEqual({
      instrumentationKey: IKEY,
      ingestionEndpoint: 'https://westeurope-5.in.applicationinsights.azure.com',
      liveEndpoint: 'https://westeurope.livediagnostics.monitor.azure.com',
      applicationId: '0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011',
    });
    expect(Object.isFrozen(cs)).toBe(true);
  });

  it.each<[string, string, Record<string, unknown>]>([
    ['lower-cases the instrumentation key', `InstrumentationKey=${IKEY_UPPER}`, { instrumentationKey: IKEY }],
    ['defaults the ingestion endpoint', `InstrumentationKey=${IKEY}`, { ingestionEndpoint: DEFAULT_INGESTION_ENDPOINT }],
    ['treats keys case-insensitively and trims them', ` instrumentationkey =${IKEY}; INGESTIONENDPOINT = https://x.example.com `, { instrumentationKey: IKEY, ingestionEndpoint: 'https://x.example.com' }],
    ['ignores empty segments and a trailing ;', `;;InstrumentationKey=${IKEY};; ;`, { instrumentationKey: IKEY }],
    ['keeps = inside a value', `InstrumentationKey=${IKEY};Authorization=AAD==x`, { authorization: 'AAD==x' }],
    ['ignores unknown keys', `InstrumentationKey=${IKEY};Foo=bar=baz;Region=x`, { instrumentationKey: IKEY }],
    ['builds endpoints from EndpointSuffix', `InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn`, { ingestionEndpoint: 'https://dc.applicationinsights.azure.cn', liveEndpoint: 'https://live.applicationinsights.azure.cn' }],
    ['builds endpoints from EndpointSuffix and Location', `InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.us;Location=USGovVirginia`, { ingestionEndpoint: 'https://usgovvirginia.dc.applicationinsights.us', liveEndpoint: 'https://usgovvirginia.live.applicationinsights.us' }],
    ['lets IngestionEndpoint win over EndpointSuffix', `InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn;IngestionEndpoint=https://chinaeast2-0.in.applicationinsights.azure.cn/`, { ingestionEndpoint: 'https://chinaeast2-0.in.applicationinsights.azure.cn', liveEndpoint: 'https://live.applicationinsights.azure.cn' }],
    ['ignores Location without EndpointSuffix', `InstrumentationKey=${IKEY};Location=westus`, { ingestionEndpoint: DEFAULT_INGESTION_ENDPOINT }],
    ['strips every trailing slash and keeps a path', `InstrumentationKey=${IKEY};IngestionEndpoint=https://proxy.example.com/ai//`, { ingestionEndpoint: 'https://proxy.example.com/ai' }],
    ['lower-cases the scheme and host and drops the default port', `InstrumentationKey=${IKEY};IngestionEndpoint=HTTPS://Proxy.Example.COM:443/`, { ingestionEndpoint: 'https://proxy.example.com' }],
    ['allows http for 127.0.0.1 with a port', `InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:4318/`, { ingestionEndpoint: 'http://127.0.0.1:4318' }],
    ['allows http for any 127/8 address', `InstrumentationKey=${IKEY};IngestionEndpoint=http://127.9.8.7`, { ingestionEndpoint: 'http://127.9.8.7' }],
    ['allows http for ::1', `InstrumentationKey=${IKEY};IngestionEndpoint=http://[::1]:8080`, { ingestionEndpoint: 'http://[::1]:8080' }],
    ['allows http for localhost', `InstrumentationKey=${IKEY};IngestionEndpoint=http://LOCALHOST:1234/`, { ingestionEndpoint: 'http://localhost:1234' }],
    ['keeps AADAudience as given', `InstrumentationKey=${IKEY};AADAudience=https://monitor.azure.us/`, { aadAudience: 'https://monitor.azure.us/' }],
    ['keeps Authorization', `InstrumentationKey=${IKEY};Authorization=AAD`, { authorization: 'AAD' }],
    ['lower-cases ApplicationId', `InstrumentationKey=${IKEY};ApplicationId=${IKEY_UPPER}`, { applicationId: IKEY }],
  ])('%s', (_name, raw, expected) => {
    expect(parseConnectionString(raw)).toMatchObject(expected);
  });

  it('keeps everything after the first = in a value', () => {
    // A path with '=' is legal in a URL; the parser must not cut it.
    const cs = parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=https://proxy.example.com/a=b/`);
    expect(cs.ingestionEndpoint).toBe('https://proxy.example.com/a=b');
  });

  // [description, input, expected message fragment (segment number and key)]
  const malformed: Array<[string, string, RegExp]> = [
    ['empty string', '', /no InstrumentationKey/],
    ['only separators', ' ; ;; ', /no InstrumentationKey/],
    ['missing InstrumentationKey', 'IngestionEndpoint=https://x.example.com', /no InstrumentationKey/],
    ['bare GUID (old instrumentation key)', IKEY, /segment 1 is not key=value.*InstrumentationKey=<guid>/],
    ['segment without =', `InstrumentationKey=${IKEY};garbage`, /segment 2 is not key=value/],
    ['empty key', `InstrumentationKey=${IKEY};=value`, /segment 2 has an empty key/],
    ['empty InstrumentationKey', 'InstrumentationKey=', /segment 1 \(InstrumentationKey\) has an empty value/],
    ['InstrumentationKey not a GUID', 'InstrumentationKey=not-a-guid-at-all', /segment 1 \(InstrumentationKey\) is not a GUID/],
    ['InstrumentationKey GUID in braces', `InstrumentationKey={${IKEY}}`, /segment 1 \(InstrumentationKey\) is not a GUID/],
    ['InstrumentationKey GUID too short', `InstrumentationKey=${IKEY.slice(0, -1)}`, /segment 1 \(InstrumentationKey\) is not a GUID/],
    ['duplicate InstrumentationKey', `InstrumentationKey=${IKEY};instrumentationkey=${IKEY}`, /segment 2 repeats InstrumentationKey \(first given in segment 1\)/],
    ['duplicate unknown key', `InstrumentationKey=${IKEY};Foo=1;;foo=2`, /segment 4 repeats a key \(first given in segment 2\)/],
    ['IngestionEndpoint not a URL', `InstrumentationKey=${IKEY};IngestionEndpoint=westeurope.in.applicationinsights.azure.com`, /segment 2 \(IngestionEndpoint\) is not an absolute URL/],
    ['IngestionEndpoint relative', `InstrumentationKey=${IKEY};IngestionEndpoint=/v2/track`, /segment 2 \(IngestionEndpoint\) is not an absolute URL/],
    ['IngestionEndpoint http to a public host', `InstrumentationKey=${IKEY};IngestionEndpoint=http://dc.services.visualstudio.com`, /segment 2 \(IngestionEndpoint\) uses http:\/\//],
    ['IngestionEndpoint http to a private address', `InstrumentationKey=${IKEY};IngestionEndpoint=http://10.0.0.1`, /segment 2 \(IngestionEndpoint\) uses http:\/\//],
    ['IngestionEndpoint http to a localhost look-alike', `InstrumentationKey=${IKEY};IngestionEndpoint=http://localhost.evil.example`, /segment 2 \(IngestionEndpoint\) uses http:\/\//],
    ['IngestionEndpoint ftp', `InstrumentationKey=${IKEY};IngestionEndpoint=ftp://x.example.com`, /segment 2 \(IngestionEndpoint\) must be an https:\/\/ URL/],
    ['IngestionEndpoint with credentials', `InstrumentationKey=${IKEY};IngestionEndpoint=https://user:pw@x.example.com`, /segment 2 \(IngestionEndpoint\) must not contain a user name/],
    ['IngestionEndpoint with a query', `InstrumentationKey=${IKEY};IngestionEndpoint=https://x.example.com/?code=1`, /segment 2 \(IngestionEndpoint\) must not contain a query/],
    ['empty IngestionEndpoint', `InstrumentationKey=${IKEY};IngestionEndpoint= `, /segment 2 \(IngestionEndpoint\) has an empty value/],
    ['LiveEndpoint not a URL', `InstrumentationKey=${IKEY};LiveEndpoint=nope`, /segment 2 \(LiveEndpoint\) is not an absolute URL/],
    ['LiveEndpoint http to a public host', `InstrumentationKey=${IKEY};LiveEndpoint=http://rt.services.visualstudio.com`, /segment 2 \(LiveEndpoint\) uses http/],
    ['AADAudience not a URL', `InstrumentationKey=${IKEY};AADAudience=not-an-audience`, /segment 2 \(AADAudience\) is not an absolute URL/],
    ['ApplicationId not a GUID', `InstrumentationKey=${IKEY};ApplicationId=my-app`, /segment 2 \(ApplicationId\) is not a GUID/],
    ['EndpointSuffix with a scheme', `InstrumentationKey=${IKEY};EndpointSuffix=https://applicationinsights.azure.cn`, /segment 2 \(EndpointSuffix\) is not a DNS suffix/],
    ['EndpointSuffix without a dot', `InstrumentationKey=${IKEY};EndpointSuffix=localhost`, /segment 2 \(EndpointSuffix\) is not a DNS suffix/],
    ['Location with a dot', `InstrumentationKey=${IKEY};EndpointSuffix=applicationinsights.azure.cn;Location=a.b`, /segment 3 \(Location\) is not a region name/],
    ['segment numbers count empty segments', `;;InstrumentationKey=${IKEY};;ApplicationId=x`, /segment 5 \(ApplicationId\)/],
  ];

  it('has at least 20 malformed cases', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(20);
  });

  it.each(malformed)('rejects %s with a ConfigError', (_name, raw, message) => {
    let thrown: unknown;
    try {
      parseConnectionString(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe('AI_CONFIG');
    expect((thrown as ConfigError).message).toMatch(message);
    // never echo a value, nor the string itself
    const values = raw.split(';').map((s) => s.slice(s.indexOf('=') + 1).trim()).filter((v) => v.length >= 6);
    for (const value of values) expect((thrown as ConfigError).message).not.toContain(value);
    expect((thrown as ConfigError).message).not.toContain(IKEY.slice(0, 8));
  });

  it('rejects a non-string with a ConfigError', () => {
    expect(() => parseConnectionString(undefined as unknown as string)).toThrow(ConfigError);
  });

  describe('properties', () => {
    const segmentText = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom('InstrumentationKey', 'IngestionEndpoint', 'LiveEndpoint', 'AADAudience', 'ApplicationId',
        'EndpointSuffix', 'Location', 'Authorization', 'ingestionendpoint', ' Other '), fc.string())
        .map(([k, v]) => `${k}=${v}`),
      fc.tuple(fc.constantFrom('IngestionEndpoint', 'LiveEndpoint', 'AADAudience'), fc.webUrl()).map(([k, v]) => `${k}=${v}`),
      fc.uuid().map((u) => `InstrumentationKey=${u}`),
    );
    const connectionStrings = fc.oneof(fc.string(), fc.array(segmentText, { maxLength: 8 }).map((s) => s.join(';')));

    it('never throws anything but ConfigError', () => {
      fc.assert(fc.property(connectionStrings, (raw) => {
        try {
          parseConnectionString(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }), { numRuns: 2000 });
    });

    it('never puts a value from the input in an error message', () => {
      // Values carrying a secret-like marker: if any of it shows up in the message, it leaked.
      const secret = fc.stringMatching(/^[A-Za-z0-9+/=_-]{0,12}$/).map((s) => `S3CR3T${s}`);
      const secretSegment = fc.tuple(
        fc.constantFrom('InstrumentationKey', 'IngestionEndpoint', 'LiveEndpoint', 'AADAudience', 'ApplicationId', 'EndpointSuffix',
          'Location', 'Authorization', 'Unknown', ''),
        secret,
        fc.boolean(),
      ).map(([k, v, withEq]) => (withEq ? `${k}=${v}` : `${k}${v}`));
      fc.assert(fc.property(fc.array(fc.oneof(secretSegment, segmentText), { minLength: 1, maxLength: 6 }), (segments) => {
        const raw = segments.join(';');
        try {
          parseConnectionString(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const message = (error as Error).message;
          expect(message).not.toContain('S3CR3T');
          for (const segment of segments) {
            const value = segment.slice(segment.indexOf('=') + 1).trim();
            if (value.length >= 8) expect(message).not.toContain(value);
          }
        }
      }), { numRuns: 2000 });
    });

    it('round-trips any GUID instrumentation key, lower-cased', () => {
      fc.assert(fc.property(fc.uuid(), fc.boolean(), (guid, upper) => {
        const cs = parseConnectionString(`InstrumentationKey=${upper ? guid.toUpperCase() : guid}`);
        expect(cs.instrumentationKey).toBe(guid.toLowerCase());
      }));
    });
  });
});
