import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { parseEntryName } from '../../packages/core/src/delivery/file-names';

// Issue 11, item 5: with no credential on an Entra-only resource, N failing exports through the
// real BatchSpanProcessor give exactly ONE warn/error line (the actionable one, naming the fix),
// not one JSON stack line per export from the SDK's error handler. Stacks only at debug level.
describe('one line per cause, not one per failed export', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => { emulator = await startEmulator(); });
  afterAll(async () => { await emulator.close(); });

  it('10 exports without a credential: one warn/error line, no stack above debug, and the batches are kept', async () => {
    const loud: string[] = [];
    const quiet: string[] = [];
    const into = (list: string[]) => (...args: unknown[]): void => { list.push(args.map(String).join(' ')); };
    diag.setLogger({ error: into(loud), warn: into(loud), info: into(quiet), debug: into(quiet), verbose: into(quiet) }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-spam-'));
    try {
      const exporter = new AzureMonitorTraceExporter({ connectionString: emulator.connectionString(), storageDirectory: dir });
      const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 10 })] });
      const tracer = provider.getTracer('spam');
      for (let i = 0; i < 10; i++) {
        tracer.startSpan(`work ${i}`).end();
        await provider.forceFlush();
      }
      await provider.shutdown();
      const kept = (await fs.promises.readdir(dir)).map((n) => parseEntryName(n)?.itemCount ?? 0).reduce((a, b) => a + b, 0);

      expect(loud.filter((l) => /accepts only Microsoft Entra ID/.test(l))).toHaveLength(1);
      expect(loud).toHaveLength(1);
      expect(loud.some((l) => /"stack"|\n\s+at /.test(l))).toBe(false);
      expect(kept).toBe(10);
    } finally {
      diag.disable();
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
