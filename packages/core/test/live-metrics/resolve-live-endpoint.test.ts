import { parseConnectionString } from '../../src/config/parse-connection-string';
import { resolveLiveEndpoint } from '../../src/live-metrics/resolve-live-endpoint';

const IKEY = 'InstrumentationKey=11111111-2222-3333-4444-555555555555';

describe('resolveLiveEndpoint', () => {
  it.each([
    ['LiveEndpoint wins', `${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`, 'https://westeurope.livediagnostics.monitor.azure.com'],
    ['a loopback ingestion endpoint (emulator) is used for Live Metrics too', `${IKEY};IngestionEndpoint=http://127.0.0.1:4000/`, 'http://127.0.0.1:4000'],
    ['otherwise the public default', `${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`, 'https://rt.services.visualstudio.com'],
    ['no endpoints at all: the public default', IKEY, 'https://rt.services.visualstudio.com'],
  ])('%s', (_what, raw, expected) => {
    expect(resolveLiveEndpoint(parseConnectionString(raw))).toBe(expected);
  });
});
