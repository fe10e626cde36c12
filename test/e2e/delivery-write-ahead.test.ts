import * as fs from 'node:fs';
import { useChildExporters } from '../fixtures/delivery/use-child-exporters';
import { envelopeFor } from '../fixtures/delivery/ingestion-server';
import { createSignalPipeline } from '../../packages/core/src/export/create-signal-pipeline';
import type { Envelope } from '../../packages/core/src/contracts/envelope';
import { parseLeaseName } from '../../packages/core/src/delivery/lease';
import { itemIds as ids, until } from '../fixtures/delivery/test-helpers';


// Issue 11, item 8: with persistBeforeSend, a batch is on disk before its first send, so a kill -9
// while exports are in flight loses nothing: the next process reclaims the dead process's leases.
describe('persistBeforeSend (write-ahead) across a kill -9', () => {
  const fx = useChildExporters('ai-e2e-ahead-', { exportTimeoutMillis: 30_000 });

  /**
   * Kill a child while every one of its exports is in flight, then drain with a new process.
   * Returns the ids and those the restarted process delivered (the server's delayed answers to the
   * dead process count for nothing: that process never learnt of them).
   */
  async function crashMidExportThenRestart(persistBeforeSend: boolean): Promise<{ all: string[]; redelivered: Set<string> }> {
    const all = ids(persistBeforeSend ? 'ahead' : 'plain', 20);
    fx.server.answer = () => ({ status: 200, delayMillis: 4_000 }); // every send hangs until after the kill
    const first = fx.spawn({ ids: all, batchSize: 4, then: 'hang', persistBeforeSend });
    await until(() => fx.server.inFlightItemIds().length === all.length, 15_000, 'all exports in flight');
    expect(first.acked).toEqual([]); // no export completed: everything was inside export()
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    fx.server.answer = () => ({ status: 200 });
    const second = fx.spawn({ ids: [], then: 'drain', persistBeforeSend, userAgent: 'restarted' });
    await second.waitForLine(/^DRAINED$/, 15_000);
    expect(await second.exited).toBe(0);
    const redelivered = new Set(fx.server.requests
      .filter((r) => r.status === 200 && r.userAgent.startsWith('restarted '))
      .flatMap((r) => r.itemIds));
    return { all, redelivered };
  }

  it('on: every item that was inside export() at the kill is delivered by the restarted process', async () => {
    const { all, redelivered } = await crashMidExportThenRestart(true);
    expect(all.filter((id) => !redelivered.has(id))).toEqual([]);
    expect(fs.readdirSync(fx.dir)).toEqual([]);
  }, 45_000);

  it('off (default, the control): the same crash loses the items that were in flight', async () => {
    const { all, redelivered } = await crashMidExportThenRestart(false);
    expect(all.filter((id) => redelivered.has(id))).toEqual([]);
  }, 45_000);

  it('the exporter option reaches the store: with persistBeforeSend the batch is on disk while its send is in flight, and gone after the 2xx', async () => {
    fx.server.answer = () => ({ status: 200, delayMillis: 500 });
    const connectionString = `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${fx.server.url}/`;
    for (const persistBeforeSend of [true, false]) {
      // What each exporter's constructor builds from its options.
      const pipeline = createSignalPipeline<object>('logs', { connectionString, storageDirectory: fx.dir, persistBeforeSend }, (items) => items as Envelope[]);
      const done = new Promise<void>((resolve) => pipeline.export([envelopeFor(`opt-${String(persistBeforeSend)}`)], () => resolve()));
      await until(() => fx.server.inFlight() > 0, 10_000, 'the send in flight');
      const leases = fs.readdirSync(fx.dir).filter((n) => parseLeaseName(n) !== undefined);
      expect(leases).toHaveLength(persistBeforeSend ? 1 : 0);
      await done;
      expect(fs.readdirSync(fx.dir)).toEqual([]);
      await pipeline.shutdown(1_000);
    }
  }, 30_000);
});
