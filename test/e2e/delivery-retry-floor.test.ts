import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type ExportResult } from '@opentelemetry/core';
import { envelopeFor, startIngestionServer, type IngestionServer } from '../fixtures/delivery/ingestion-server';
import { createTestPipeline } from '../fixtures/delivery/pipeline-factory';
import { DEFAULT_SEND_GATE_POLICY } from '../../packages/core/src/delivery/send-gate';
import type { ExportPipeline } from '../../packages/core/src/export/export-pipeline';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Real time the exporter is driven for, in each case. */
const WINDOW_MILLIS = 2_500;
/**
 * With the production backoff (2 s, x2, +-20%) at most 3 requests can fall in the window (the first,
 * one probe after >= 1.6 s, one more after >= 3.2 s); 10 leaves room for a loaded machine. Before
 * the floor, `Retry-After: 0` reopened at once and every export (one per 10 ms) went out.
 */
const MAX_REQUESTS_IN_WINDOW = 10;

// Issue 11, item 1: whatever a 429/503 says, the request rate stays bounded by our backoff.
describe('retry floor against a loopback ingestion answering 429/503 with zero, past or bad hints', () => {
  let server: IngestionServer;
  let dir: string;
  let pipeline: ExportPipeline<object> | undefined;

  beforeEach(async () => {
    server = await startIngestionServer();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-floor-'));
  });
  afterEach(async () => {
    await pipeline?.shutdown(200);
    pipeline = undefined;
    await server.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['429 Retry-After: 0', 429, { 'retry-after': '0' }],
    ['503 retry-after-ms: 0', 503, { 'retry-after-ms': '0' }],
    ['429 x-ms-retry-after-ms: 0', 429, { 'x-ms-retry-after-ms': '0' }],
    ['503 Retry-After: a date in the past', 503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }],
    ['429 Retry-After: -5', 429, { 'retry-after': '-5' }],
    ['439 Retry-After: 0 (daily cap)', 439, { 'retry-after': '0' }],
  ])('%s: at most a handful of requests', async (_label, status, headers) => {
    server.answer = () => ({ status, headers });
    pipeline = createTestPipeline({ endpoint: server.url, directory: dir, gatePolicy: DEFAULT_SEND_GATE_POLICY });
    const results: Promise<ExportResult>[] = [];
    const end = Date.now() + WINDOW_MILLIS;
    let n = 0;
    while (Date.now() < end) {
      const p = pipeline;
      results.push(new Promise((resolve) => p.export([envelopeFor(`floor-${n++}`)], resolve)));
      await sleep(10);
    }
    await Promise.all(results);
    expect(n).toBeGreaterThan(20); // the exporter really was busy
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(server.requests.length).toBeLessThanOrEqual(MAX_REQUESTS_IN_WINDOW);
  }, 20_000);
});
