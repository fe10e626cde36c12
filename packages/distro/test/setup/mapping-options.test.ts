import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createTelemetryTap, type TappedItem } from '../../src/live-metrics/create-telemetry-tap';
import { mappingOptionsOf } from '../../src/setup/build-exporters';

const IKEY = '11111111-2222-4333-8444-555555555555';

/** The items the tap sees for one failed request, with the given mapping options. */
function tapOneFailedRequest(mapping: ReturnType<typeof mappingOptionsOf>): TappedItem[] {
  const tap = createTelemetryTap({ instrumentationKey: IKEY, markProcessed: false, mapping });
  const items: TappedItem[] = [];
  tap.listen((item) => items.push(item));
  const tracer = new BasicTracerProvider({ spanProcessors: [tap.spanProcessor] }).getTracer('t');
  tracer.startSpan('GET /x', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 404, 'url.full': 'http://h/x' } }).end();
  return items;
}

describe('mappingOptionsOf (one object for the trace exporter and the Live Metrics tap)', () => {
  it.each([
    ['nothing set', {}, {}],
    ['both set', { successOverride: () => true, requestNameSource: 'spanName' as const }, { requestNameSource: 'spanName' }],
  ])('%s', (_case, settings, expected) => {
    const mapping = mappingOptionsOf({ successOverride: undefined, requestNameSource: undefined, ...settings });
    expect(mapping).toMatchObject(expected);
    expect(Object.isFrozen(mapping)).toBe(true);
  });

  it('the tap decides success with the same successOverride as the exporter (a 404 counted as a success)', () => {
    expect(tapOneFailedRequest(mappingOptionsOf({ successOverride: undefined, requestNameSource: undefined }))[0]?.success).toBe(false);
    expect(tapOneFailedRequest(mappingOptionsOf({ successOverride: () => true, requestNameSource: undefined }))[0]?.success).toBe(true);
  });
});
