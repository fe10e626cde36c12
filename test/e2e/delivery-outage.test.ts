import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { diag } from '@opentelemetry/api';
import { envelopeFor, startIngestionServer, type IngestionServer } from '../fixtures/delivery/ingestion-server';
import { createTestPipeline } from '../fixtures/delivery/pipeline-factory';
import type { ExportPipeline } from '../../packages/core/src/export/export-pipeline';
import { captureWarnings, itemIds as ids } from '../fixtures/delivery/test-helpers';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function exportIds(pipeline: ExportPipeline<object>, batch: string[]): Promise<ExportResult> {
  return new Promise((resolve) => pipeline.export(batch.map(envelopeFor), resolve));
}

describe('durable delivery against a loopback ingestion (in process, real HTTP transport)', () => {
  let server: IngestionServer;
  let dir: string;
  let pipeline: ExportPipeline<object> | undefined;
  const warnings: string[] = [];

  beforeEach(async () => {
    server = await startIngestionServer();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-e2e-'));
    captureWarnings(warnings);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await pipeline?.shutdown(200);
    pipeline = undefined;
    diag.disable();
    await server.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('5xx for 60 s then recovery (scaled: 3 s of 503, backoffs /20): every item arrives exactly once', async () => {
    const outageEnds = Date.now() + 3_000;
    server.answer = () => ({ status: Date.now() < outageEnds ? 503 : 200 });
    pipeline = createTestPipeline({ endpoint: server.url, directory: dir });
    const all = ids('outage', 100);
    const results: Promise<ExportResult>[] = [];
    for (let i = 0; i < all.length; i += 5) {
      results.push(exportIds(pipeline, all.slice(i, i + 5)));
      await sleep(150);
    }
    expect((await Promise.all(results)).every((r) => r.code === ExportResultCode.SUCCESS)).toBe(true);
    await server.waitForAccepted(all, 15_000);
    // At-least-once bound: without a crash or a lost response, nothing arrives twice.
    expect([...server.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(server.accepted.size).toBe(all.length);
    // No retry storm: failed requests during the outage stay few (gate + backoff), not one per export.
    const failed = server.requests.filter((r) => r.status === 503).length;
    // Without the gate each of the 20 exports made during the outage would fail 3 times (60+).
    expect(failed).toBeLessThanOrEqual(30);
  }, 30_000);

  it('429 with Retry-After: 5 (real time): no request reaches ingestion before 5 s have passed', async () => {
    let throttledAt = 0;
    server.answer = (index) => {
      if (index === 0) { throttledAt = Date.now(); return { status: 429, headers: { 'retry-after': '5' } }; }
      return { status: 200 };
    };
    pipeline = createTestPipeline({ endpoint: server.url, directory: dir, exportTimeoutMillis: 1_000 });
    const first = await exportIds(pipeline, ['t-0']);
    expect(first.code).toBe(ExportResultCode.SUCCESS); // queued
    for (let i = 1; i <= 3; i++) {
      await sleep(500);
      expect((await exportIds(pipeline, [`t-${i}`])).code).toBe(ExportResultCode.SUCCESS);
    }
    await pipeline.forceFlush(); // a flush must not override the server's hint either
    await server.waitForAccepted(['t-0', 't-1', 't-2', 't-3'], 10_000);
    const later = server.requests.slice(1);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((r) => r.atTimestamp - throttledAt >= 5_000)).toBe(true);
  }, 20_000);

  it('storage full: the oldest requests are evicted, the newest kept, and the eviction is counted in a warn line', async () => {
    let down = true;
    server.answer = () => ({ status: down ? 503 : 200 });
    // Each 1-item gzipped request is ~200 bytes; 1,000 bytes hold the newest few.
    pipeline = createTestPipeline({ endpoint: server.url, directory: dir, maxBytes: 1_000 });
    const all = ids('full', 20);
    for (const id of all) { await exportIds(pipeline, [id]); await sleep(5); }
    const kept = fs.readdirSync(dir).filter((n) => n.endsWith('.ai')).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(all.length);
    expect(warnings.some((w) => /evicted \d+ items \(\d+ requests, oldest first\): over 1000 bytes/.test(w))).toBe(true);
    down = false;
    const newest = all.slice(-kept);
    await pipeline.forceFlush();
    await server.waitForAccepted(newest, 10_000);
    expect(server.accepted.has(all[0]!)).toBe(false);
  }, 20_000);

  it('read-only storage directory (EROFS simulated; tests run as root): one warning, telemetry still delivered', async () => {
    const realFs = require('node:fs') as typeof fs;
    jest.spyOn(realFs.promises, 'writeFile').mockRejectedValue(Object.assign(new Error('read-only file system'), { code: 'EROFS' }));
    let answered = 0;
    server.answer = () => ({ status: answered++ < 3 ? 503 : 200 }); // outlasts the first export's retries
    pipeline = createTestPipeline({ endpoint: server.url, directory: dir });
    const all = ids('ro', 10);
    for (let i = 0; i < all.length; i += 2) expect((await exportIds(pipeline, all.slice(i, i + 2))).code).toBe(ExportResultCode.SUCCESS);
    await pipeline.forceFlush();
    await server.waitForAccepted(all, 10_000);
    expect(warnings.filter((w) => w.includes('not usable'))).toHaveLength(1);
    expect(warnings.find((w) => w.includes('not usable'))).toContain('EROFS');
  }, 20_000);
});
