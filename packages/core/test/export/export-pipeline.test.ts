import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResolvedConfig, StorageConfig } from '../../src/config/resolved-config';
import { AuthError, TransportError } from '../../src/errors';
import { createExportPipeline, type ExportPipeline } from '../../src/export/export-pipeline';
import type { SendOutcome } from '../../src/transport/transport-types';
import { fakeTransport, ok, settle, unavailable, waitFor, type FakeTransport } from '../delivery/helpers/fake-transport';

interface Item { id: number }

const configWith = (storage: Partial<StorageConfig>, over: Partial<ResolvedConfig> = {}): ResolvedConfig => ({
  connectionString: { instrumentationKey: '00000000-0000-0000-0000-000000000000', ingestionEndpoint: 'http://127.0.0.1:1' },
  instrumentationKey: '00000000-0000-0000-0000-000000000000',
  ingestionEndpoint: 'http://127.0.0.1:1',
  scope: 'https://monitor.azure.com/.default',
  storage: { disabled: false, directory: '/nonexistent', maxBytes: 50 * 1024 * 1024, maxAgeMillis: 48 * 3_600_000, ...storage },
  exportTimeoutMillis: 2_000,
  requestTimeoutMillis: 2_000,
  gzip: true,
  persistBeforeSend: false,
  ...over,
});

const toEnvelopes = (items: readonly Item[]): object[] => items.map((i) => ({ name: 'Microsoft.ApplicationInsights.Message', id: i.id }));
const items = (from: number, n: number): Item[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));
const idsOf = (list: unknown[]): number[] => list.map((x) => (x as Item).id).sort((a, b) => a - b);

/** Export and collect every callback invocation. */
async function exportAll(pipeline: ExportPipeline<Item>, batch: Item[]): Promise<ExportResult[]> {
  const calls: ExportResult[] = [];
  await new Promise<void>((resolve) => pipeline.export(batch, (r) => { calls.push(r); resolve(); }));
  await settle(5);
  return calls;
}

describe('createExportPipeline', () => {
  let dir: string;
  const pipelines: ExportPipeline<Item>[] = [];
  const make = (transport: FakeTransport, storage: Partial<StorageConfig> = {}, map = toEnvelopes, tuning = {}) => {
    const p = createExportPipeline<Item>({ config: configWith({ directory: dir, ...storage }), transport, map, signal: 'logs', tuning });
    pipelines.push(p);
    return p;
  };

  beforeEach(async () => { dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-pipeline-')); });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(pipelines.splice(0).map((p) => p.shutdown(100)));
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('reports SUCCESS exactly once when ingestion accepts', async () => {
    const transport = fakeTransport();
    const calls = await exportAll(make(transport), items(0, 3));
    expect(calls).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2]);
  });

  it('splits a large export into bounded requests', async () => {
    const transport = fakeTransport();
    const calls = await exportAll(make(transport, {}, toEnvelopes, { requestLimits: { maxItems: 2 } }), items(0, 5));
    expect(calls).toEqual([{ code: ExportResultCode.SUCCESS }]);
    // Requests go out concurrently; the fake records each after an async gunzip, so compare as a multiset.
    expect(transport.sends.map((s) => s.body.itemCount).sort((a, b) => a - b)).toEqual([1, 2, 2]);
    expect(transport.sends.every((s) => s.body.gzip)).toBe(true);
  });

  it('reports SUCCESS for items durably queued after a transient failure, and delivers them on forceFlush', async () => {
    let down = true;
    const transport = fakeTransport((b) => (down ? unavailable() : ok(b.itemCount)));
    const pipeline = make(transport);
    expect(await exportAll(pipeline, items(0, 2))).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect((await fs.promises.readdir(dir)).filter((n) => n.endsWith('.ai'))).toHaveLength(1);
    down = false;
    await pipeline.forceFlush();
    expect(idsOf(transport.delivered)).toEqual([0, 1]);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('reports SUCCESS for items queued in memory when storage is disabled and nothing was dropped', async () => {
    const transport = fakeTransport(() => unavailable());
    const calls = await exportAll(make(transport, { disabled: true }), items(0, 2));
    expect(calls).toEqual([{ code: ExportResultCode.SUCCESS }]);
  });

  it('reports FAILED when the memory queue had to drop items', async () => {
    const transport = fakeTransport(() => unavailable());
    const calls = await exportAll(make(transport, { disabled: true, maxBytes: 10 }), items(0, 50));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ code: ExportResultCode.FAILED, error: { code: 'AI_STORAGE' } });
  });

  it('reports FAILED with a partial-export error naming counts when a 206 dropped items', async () => {
    const transport = fakeTransport((b, _i, call) => (call === 0
      ? { status: 'partial', accepted: 2, retryIndexes: [], dropped: 1, reasons: ['drop:2', 'invalid item'] }
      : ok(b.itemCount)));
    const [result] = await exportAll(make(transport), items(0, 3));
    expect(result).toMatchObject({ code: ExportResultCode.FAILED, error: { code: 'AI_PARTIAL', accepted: 2, dropped: 1 } });
    expect(result?.error?.message).toMatch(/accepted 2 of 3 items; 1 dropped/);
  });

  it('reports SUCCESS after a 206 whose rest was queued for retry, and re-sends only those items', async () => {
    const transport = fakeTransport((b, _i, call) => (call === 0
      ? { status: 'partial', accepted: 2, retryIndexes: [1], dropped: 0, reasons: [] }
      : ok(b.itemCount)));
    const pipeline = make(transport, { disabled: true }, toEnvelopes, { gatePolicy: fastGate });
    expect(await exportAll(pipeline, items(0, 3))).toEqual([{ code: ExportResultCode.SUCCESS }]);
    await pipeline.forceFlush();
    expect(idsOf(transport.sends[1]!.items)).toEqual([1]);
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2]);
  });

  it('reports SUCCESS (queued) for an auth failure and keeps the batch: nothing was dropped, the transport logs the cause once', async () => {
    const error = new AuthError('this resource accepts only Microsoft Entra ID authenticated telemetry', 400);
    const transport = fakeTransport((): SendOutcome => ({ status: 'auth-failed', error }));
    const [result] = await exportAll(make(transport), items(0, 2));
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect((await fs.promises.readdir(dir)).filter((n) => n.endsWith('.ai'))).toHaveLength(1);
  });

  it('reports FAILED with the error when ingestion refuses the items for good', async () => {
    const error = new TransportError('ingestion refused the items (400)', { statusCode: 400 });
    const transport = fakeTransport((): SendOutcome => ({ status: 'failure', error }));
    expect(await exportAll(make(transport), items(0, 2))).toEqual([{ code: ExportResultCode.FAILED, error }]);
  });

  it('turns a mapping exception into a FAILED result with an AI_MAPPING error instead of throwing', async () => {
    const transport = fakeTransport();
    const boom = new TypeError('cannot read properties of undefined');
    const pipeline = make(transport, {}, () => { throw boom; });
    let calls: ExportResult[] = [];
    expect(() => pipeline.export(items(0, 2), (r) => calls.push(r))).not.toThrow();
    await settle(5);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ code: ExportResultCode.FAILED, error: { code: 'AI_MAPPING', itemCount: 2, cause: boom } });
    expect(transport.sends).toHaveLength(0);
    calls = [];
  });

  it('drops only envelopes that cannot be serialized and reports them as AI_MAPPING', async () => {
    const transport = fakeTransport();
    const map = (batch: readonly Item[]): object[] => batch.map((i) => (i.id === 1 ? { id: i.id, big: BigInt(1) } : { id: i.id }));
    const [result] = await exportAll(make(transport, {}, map), items(0, 3));
    expect(result).toMatchObject({ code: ExportResultCode.FAILED, error: { code: 'AI_MAPPING', itemCount: 1 } });
    expect(idsOf(transport.delivered)).toEqual([0, 2]);
  });

  it('calls back exactly once even if the callback throws', async () => {
    const transport = fakeTransport();
    const pipeline = make(transport);
    const done = jest.fn(() => { throw new Error('callback bug'); });
    pipeline.export(items(0, 1), done);
    await waitFor(() => done.mock.calls.length > 0);
    await settle(10);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('fails fast with ShutdownError after shutdown', async () => {
    const pipeline = make(fakeTransport());
    await pipeline.shutdown();
    const done = jest.fn();
    pipeline.export(items(0, 1), done);
    expect(done).toHaveBeenCalledTimes(1);
    expect(done).toHaveBeenCalledWith({ code: ExportResultCode.FAILED, error: expect.objectContaining({ code: 'AI_SHUTDOWN' }) });
  });

  it('shutdown(timeout) persists what a hanging ingestion did not take, and the next process delivers it', async () => {
    const hanging = fakeTransport(() => new Promise<SendOutcome>(() => undefined));
    const pipeline = make(hanging);
    const calls: ExportResult[] = [];
    pipeline.export(items(0, 2), (r) => calls.push(r));
    await settle(5);
    await pipeline.shutdown(300);
    expect(calls).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect((await fs.promises.readdir(dir)).filter((n) => n.endsWith('.ai'))).toHaveLength(1);

    const next = fakeTransport();
    make(next, {}, toEnvelopes, { replaySpread: false }); // the default spread waits up to 10 s at random
    await waitFor(() => next.delivered.length >= 2);
    expect(idsOf(next.delivered)).toEqual([0, 1]);
  });

  it('shutdown(timeout) waits for the transport to close, and returns at the timeout when its close hangs', async () => {
    const closing = fakeTransport();
    let closed = false;
    closing.shutdown = async () => { await settle(3); closed = true; };
    await make(closing).shutdown(5_000);
    expect(closed).toBe(true);

    const hanging = fakeTransport();
    let asked = false;
    hanging.shutdown = () => { asked = true; return new Promise<void>(() => undefined); };
    const started = Date.now();
    await make(hanging).shutdown(200);
    expect(asked).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000); // ended by its own deadline, long before jest's
  });

  it('shutdown resolves when the transport fails to close', async () => {
    const failing = fakeTransport();
    failing.shutdown = () => Promise.reject(new Error('socket already destroyed'));
    await expect(make(failing).shutdown(200)).resolves.toBeUndefined();
  });

  it('with disableOfflineStorage makes no file-system calls at all, through export, failure, flush and shutdown', async () => {
    const calls: string[] = [];
    const realFs = require('node:fs') as Record<string, unknown>; // the module object itself, not an import namespace
    for (const [owner, label] of [[realFs.promises as Record<string, unknown>, 'fs.promises'], [realFs, 'fs']] as const) {
      for (const key of Object.keys(owner)) {
        if (typeof owner[key] !== 'function' || /^[A-Z]/.test(key)) continue;
        jest.spyOn(owner as Record<string, (...a: unknown[]) => unknown>, key).mockImplementation((() => {
          calls.push(`${label}.${key}`);
          throw new Error('no fs allowed');
        }) as never);
      }
    }
    let down = true;
    const transport = fakeTransport((b) => (down ? unavailable() : ok(b.itemCount)));
    const pipeline = createExportPipeline<Item>({ config: configWith({ disabled: true, directory: dir }), transport, map: toEnvelopes, signal: 'traces', tuning: { gatePolicy: fastGate } });
    expect(await exportAll(pipeline, items(0, 2))).toEqual([{ code: ExportResultCode.SUCCESS }]);
    down = false;
    await pipeline.forceFlush();
    await exportAll(pipeline, items(2, 1));
    await pipeline.shutdown();
    jest.restoreAllMocks();
    expect(calls).toEqual([]);
    expect(idsOf(transport.delivered)).toEqual([0, 1, 2]);
  });
});

const fastGate = {
  transient: { initialMillis: 10, maxMillis: 50, multiplier: 2, jitter: 0 },
  quota: { initialMillis: 10, maxMillis: 50, multiplier: 2, jitter: 0 },
  auth: { initialMillis: 10, maxMillis: 50, multiplier: 2, jitter: 0 },
};
