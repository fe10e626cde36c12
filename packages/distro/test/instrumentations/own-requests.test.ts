import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { shutdownAzureMonitor, useAzureMonitor } from '../../src/setup/use-azure-monitor';
import { createOwnRequestMatcher } from '../../src/instrumentations/own-requests';

describe('createOwnRequestMatcher', () => {
  const own = createOwnRequestMatcher(['https://westeurope-5.in.applicationinsights.azure.com/', 'http://127.0.0.1:4000', 'not a url']);
  it.each([
    ['https://westeurope-5.in.applicationinsights.azure.com', true],
    ['https://WestEurope-5.in.applicationinsights.azure.com:443/v2.1/track', true],
    ['http://127.0.0.1:4000/msi/token', true],
    ['http://169.254.169.254/metadata/identity/oauth2/token', true],
    ['http://127.0.0.1:4001', false],
    ['https://api.example.com/orders', false],
    ['garbage', false],
  ])('%s -> %s', (url, expected) => {
    expect(own.isOwnUrl(url)).toBe(expected);
    expect(own.isOwnUrl(url)).toBe(expected); // bare origins are remembered: the same answer the second time
  });

  it('answers the same for bracketed IPv6 hosts and past the size of its origin cache', () => {
    const v6 = createOwnRequestMatcher(['http://[::1]:4000']);
    expect([v6.isOwnUrl('http://[::1]:4000'), v6.isOwnRequestOptions({ hostname: '[::1]', port: 4000 }), v6.isOwnRequestOptions({ hostname: '::1', port: 4000 })]).toEqual([true, true, true]);
    const origins = Array.from({ length: 600 }, (_, i) => `http://127.0.0.${i % 250}:${4000 + Math.floor(i / 250)}`);
    expect(origins.filter((o) => own.isOwnUrl(o))).toEqual(['http://127.0.0.1:4000']);
    expect(origins.filter((o) => own.isOwnUrl(o))).toEqual(['http://127.0.0.1:4000']);
  });
});

describe('useAzureMonitor(): fetch to our own endpoints is never traced', () => {
  const servers: http.Server[] = [];
  const previous = process.env['OTEL_NODE_ENABLED_INSTRUMENTATIONS'];
  async function listen(): Promise<string> {
    const server = http.createServer((_req, res) => res.end('{}'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  afterAll(async () => {
    if (previous === undefined) delete process.env['OTEL_NODE_ENABLED_INSTRUMENTATIONS'];
    else process.env['OTEL_NODE_ENABLED_INSTRUMENTATIONS'] = previous;
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('skips the ingestion and live metrics endpoints of the connection string, and traces the rest', async () => {
    const [ingestion, live, other] = [await listen(), await listen(), await listen()];
    const exporter = new InMemorySpanExporter();
    process.env['OTEL_NODE_ENABLED_INSTRUMENTATIONS'] = 'undici';
    useAzureMonitor({
      connectionString: `InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=${ingestion}/;LiveEndpoint=${live}/`,
      disableOfflineStorage: true,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    try {
      const parent = trace.getTracer('test').startSpan('operation');
      await context.with(trace.setSpan(context.active(), parent), async () => {
        for (const url of [`${ingestion}/v2.1/track`, `${live}/QuickPulseService.svc/ping`, `${other}/orders`]) await (await fetch(url)).text();
      });
      parent.end();
      const fetched = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT).map((s) => s.attributes['url.full']);
      expect(fetched).toEqual([`${other}/orders`]);
    } finally {
      await shutdownAzureMonitor(5_000);
    }
  });
});
