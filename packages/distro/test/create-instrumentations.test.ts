import type { RequestOptions } from 'node:http';
import type { HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createInstrumentations } from '../src/create-instrumentations';

const hookOf = (list: Instrumentation[]) => (list[0]!.getConfig() as HttpInstrumentationConfig).ignoreOutgoingRequestHook!;

describe('createInstrumentations', () => {
  const created: Instrumentation[] = [];
  afterEach(() => { created.splice(0).forEach((i) => i.disable()); });
  const make = (...args: Parameters<typeof createInstrumentations>) => {
    const list = createInstrumentations(...args);
    created.push(...list);
    return list;
  };

  it('enables HTTP by default and never traces requests to our own endpoints or the metadata service', () => {
    const list = make(undefined, ['http://127.0.0.1:4000', 'https://login.microsoftonline.com']);
    expect(list.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-http']);
    const ignore = hookOf(list);
    const cases: Array<[RequestOptions, boolean]> = [
      [{ hostname: '127.0.0.1', port: 4000, protocol: 'http:' }, true],
      [{ hostname: 'login.microsoftonline.com', protocol: 'https:' }, true],
      [{ host: '169.254.169.254', port: 80, protocol: 'http:' }, true],
      [{ hostname: '127.0.0.1', port: 4001, protocol: 'http:' }, false],
      [{ hostname: 'api.example.com', protocol: 'https:' }, false],
    ];
    for (const [request, expected] of cases) expect([request, ignore(request)]).toEqual([request, expected]);
  });

  it('keeps the user\'s own ignore hook and HTTP options, and adds opt-in instrumentations', () => {
    const extra = { instrumentationName: 'extra', instrumentationVersion: '1', disable: jest.fn(), enable: jest.fn(), setTracerProvider: jest.fn(), setMeterProvider: jest.fn(), setConfig: jest.fn(), getConfig: () => ({}) } as unknown as Instrumentation;
    const list = make({ http: { ignoreOutgoingRequestHook: (r) => r.hostname === 'skip.example.com', headersToSpanAttributes: { server: { requestHeaders: ['x-tenant'] } } }, additional: [extra] }, []);
    expect(list).toHaveLength(2);
    expect(list[1]).toBe(extra);
    expect(hookOf(list)({ hostname: 'skip.example.com' })).toBe(true);
    expect((list[0]!.getConfig() as HttpInstrumentationConfig).headersToSpanAttributes).toEqual({ server: { requestHeaders: ['x-tenant'] } });
  });

  it('turns HTTP off with { enabled: false }', () => {
    expect(make({ http: { enabled: false } }, [])).toEqual([]);
  });
});
