import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { envelopeFor } from '../fixtures/delivery/ingestion-server';
import { createSignalPipeline } from '../../packages/core/src/export/create-signal-pipeline';
import type { Envelope } from '../../packages/core/src/contracts/envelope';
import { parseEntryName } from '../../packages/core/src/delivery/file-names';

/** A loopback port nobody listens on (bound, then closed): connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Issue 11, item 4: connection refused is not worth waiting for. With production timeouts (30 s
// export timeout, real backoff), shutdown persists what is left and returns in about a second.
describe('shutdown with a dead endpoint (connection refused)', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-dead-')); });
  afterEach(async () => { await fs.promises.rm(dir, { recursive: true, force: true }); });

  it('exports complete as queued, shutdown returns within seconds (not 30 s) and every item is on disk', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    // Exactly what an exporter's constructor builds, with production defaults (30 s export timeout).
    const pipeline = createSignalPipeline<object>('logs', {
      connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${endpoint}/`,
      storageDirectory: dir,
    }, (items) => items as Envelope[]);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 5 }, (_, b) => new Promise<ExportResult>((resolve) =>
      pipeline.export(Array.from({ length: 10 }, (_, i) => envelopeFor(`dead-${b}-${i}`)), resolve))));
    // One more export still running when shutdown starts.
    const last = new Promise<ExportResult>((resolve) => pipeline.export([envelopeFor('dead-last')], resolve));
    await pipeline.shutdown();
    const elapsed = Date.now() - started;

    expect([...results, await last].map((r) => r.code)).toEqual(Array(6).fill(ExportResultCode.SUCCESS));
    expect(elapsed).toBeLessThan(10_000); // generous for a loaded machine; it was 30 s before
    const stored = (await fs.promises.readdir(dir)).map((n) => parseEntryName(n)).filter((e) => e !== undefined);
    expect(stored.reduce((n, e) => n + (e?.itemCount ?? 0), 0)).toBe(51);
  }, 40_000);
});
