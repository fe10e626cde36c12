import { parseConnectionString } from '@appinsights-otel/core';
import { isAllowedLiveRedirect } from '../../../src/live-metrics/protocol/is-allowed-live-redirect';
import { resolveLiveEndpoint } from '../../../src/live-metrics/protocol/resolve-live-endpoint';

const IKEY = 'InstrumentationKey=11111111-2222-3333-4444-555555555555';

describe('resolveLiveEndpoint', () => {
  it.each([
    ['LiveEndpoint wins', `${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`, 'https://westeurope.livediagnostics.monitor.azure.com'],
    ['a loopback ingestion endpoint (emulator) is used for Live Metrics too', `${IKEY};IngestionEndpoint=http://127.0.0.1:4000/`, 'http://127.0.0.1:4000'],
    ['otherwise the public default', `${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`, 'https://global.livediagnostics.monitor.azure.com'],
    ['no endpoints at all: the public default', IKEY, 'https://global.livediagnostics.monitor.azure.com'],
  ])('%s', (_what, raw, expected) => {
    expect(resolveLiveEndpoint(parseConnectionString(raw))).toBe(expected);
  });
});

describe('isAllowedLiveRedirect', () => {
  it.each([
    ['https://rt.services.visualstudio.com', 'https://westeurope.livediagnostics.monitor.azure.com/', true],
    ['https://rt.services.visualstudio.com', 'https://rt.services.visualstudio.com:8443/', true],
    ['https://rt.services.visualstudio.com', 'https://westeurope.livediagnostics.monitor.azure.cn/', false],
    ['https://chinaeast2.live.applicationinsights.azure.cn', 'https://x.livediagnostics.monitor.azure.cn/', true],
    ['https://usgovvirginia.live.applicationinsights.azure.us', 'https://x.livediagnostics.monitor.azure.us/', true],
    ['https://rt.services.visualstudio.com', 'https://evil.example.com/', false],
    ['https://rt.services.visualstudio.com', 'http://westeurope.livediagnostics.monitor.azure.com/', false],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:5000/moved', true],
    ['http://127.0.0.1:4000', 'http://localhost:4000/', false],
    ['https://rt.services.visualstudio.com', 'ftp://rt.services.visualstudio.com/', false],
  ])('from %s to %s: %s', (configured, target, allowed) => {
    expect(isAllowedLiveRedirect(new URL(configured), new URL(target))).toBe(allowed);
  });
});
