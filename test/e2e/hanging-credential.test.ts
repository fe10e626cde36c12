import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { countingCredential, startFakeIngestion, type FakeIngestion } from '@appinsights-otel/test-support';

const IKEY = '2bb22222-cccc-4ddd-8eee-ffffffffffff';

function someSpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  for (let i = 0; i < count; i++) provider.getTracer('hang').startSpan(`GET /hang/${i}`, { kind: SpanKind.SERVER }).end();
  return memory.getFinishedSpans() as ReadableSpan[];
}

/**
 * DESIGN.md section 4: a bounded acquisition so a hanging credential never stalls forceFlush or
 * shutdown; while no token can be had, telemetry is queued, not dropped.
 */
describe('a credential that never answers (and ignores its abort signal)', () => {
  let ingestion: FakeIngestion;
  let dir: string;

  beforeEach(async () => {
    ingestion = await startFakeIngestion();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-e2e-hang-'));
  });
  afterEach(async () => {
    await ingestion.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('stalls neither the export callback, nor forceFlush, nor shutdown; the items wait on disk and a later exporter delivers them', async () => {
    let calls = 0;
    const hanging: TokenCredential = { getToken: () => { calls++; return new Promise<AccessToken>(() => undefined); } };
    const options = { connectionString: `InstrumentationKey=${IKEY};IngestionEndpoint=${ingestion.url}/`, storageDirectory: dir, exportTimeoutMillis: 1_000 };
    const stuck = new AzureMonitorTraceExporter({ ...options, credential: hanging });

    const result = await new Promise<ExportResult>((resolve) => stuck.export(someSpans(3), resolve));
    expect(result.code).toBe(0); // queued durably (never dropped)
    await stuck.forceFlush(); // resolves: the drain's token wait is cut off by the send timeout
    await stuck.shutdown(); // resolves within its deadline
    expect(calls).toBeGreaterThan(0);
    expect(ingestion.requests).toHaveLength(0); // nothing is ever sent without a token
    expect(fs.readdirSync(dir).filter((n) => /\.ai(\.lease-.*)?$/.test(n)).length).toBeGreaterThan(0);

    const credential = countingCredential();
    const healthy = new AzureMonitorTraceExporter({ ...options, credential });
    await healthy.forceFlush();
    const items = await ingestion.waitForItems(3);
    await healthy.shutdown();
    expect(items.map((i) => (i['data'] as { baseData: { name: string } }).baseData.name).sort()).toEqual(['GET /hang/0', 'GET /hang/1', 'GET /hang/2']);
    expect(ingestion.requests.every((r) => r.headers.authorization === `Bearer ${credential.token}`)).toBe(true);
  });
});
