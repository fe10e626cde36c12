import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diag } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { startIngestionServer, type IngestionServer } from '../fixtures/delivery/ingestion-server';
import { SCALED_GATE } from '../fixtures/delivery/pipeline-factory';
import { captureWarnings } from '../fixtures/delivery/test-helpers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Issue 11, item 2: during an outage the first failed attempt persists the batch and completes the
// export at once; retries continue from the store. The SDK's BatchSpanProcessor queue therefore
// never overflows because of us: no "Dropped N spans" line, and every span arrives after recovery.
describe('the real BatchSpanProcessor through a 503 outage', () => {
  let server: IngestionServer;
  let dir: string;
  const lines: string[] = [];

  beforeEach(async () => {
    server = await startIngestionServer();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-bsp-'));
    captureWarnings(lines);
  });
  afterEach(async () => {
    diag.disable();
    await server.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('drops no span on the SDK side and delivers every span once ingestion is back', async () => {
    const outageEnds = Date.now() + 3_000;
    server.answer = () => ({ status: Date.now() < outageEnds ? 503 : 200 });
    const exporter = new AzureMonitorTraceExporter({
      connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${server.url}/`,
      storageDirectory: dir,
      tuning: { gatePolicy: SCALED_GATE },
    });
    // A small queue: an export that held the processor for seconds would overflow it many times over.
    const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 100, maxExportBatchSize: 20, scheduledDelayMillis: 20 });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('outage');
    const created: string[] = [];
    while (Date.now() < outageEnds + 500) {
      for (let i = 0; i < 5; i++) {
        const id = `span-${created.length}`;
        created.push(id);
        tracer.startSpan('work', { attributes: { itemId: id } }).end();
      }
      await sleep(20);
    }
    await provider.forceFlush();
    await server.waitForAccepted(created, 30_000);
    await provider.shutdown();

    expect(created.length).toBeGreaterThan(300);
    expect(lines.filter((l) => /Dropped \d+ spans/.test(l))).toEqual([]);
    expect(server.accepted.size).toBe(created.length);
    expect(server.requests.some((r) => r.status === 503)).toBe(true); // the outage was real
  }, 60_000);
});
