import type { DiagLogger } from '@opentelemetry/api';
import { createEvictionReporter, EVICTION_LOG_INTERVAL_MILLIS } from '../../src/delivery/eviction-reporter';
import { createFileStore } from '../../src/delivery/file-store';
import { createMemoryQueue } from '../../src/delivery/memory-queue';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureDiag } from './helpers/log-capture';

const recorder = (): DiagLogger & { warns: string[] } => {
  const warns: string[] = [];
  const none = (): void => undefined;
  return { warns, warn: (m: string) => { warns.push(m); }, error: none, info: none, debug: none, verbose: none };
};
/** Sum of the item counts in eviction lines. */
const itemsIn = (lines: readonly string[]): number => lines.reduce((n, l) => n + [...l.matchAll(/(\d+) items \(/g)].reduce((m, x) => m + Number(x[1]), 0), 0);

describe('createEvictionReporter: every eviction is counted and reported', () => {
  it('logs the first eviction at once, sums later ones per reason, and logs them on flush', () => {
    let t = 0;
    const log = recorder();
    const r = createEvictionReporter(log, 'store', () => t);
    r.report(3, 1, 'over 10 bytes');
    expect(log.warns).toEqual(['store: evicted 3 items (1 requests, oldest first): over 10 bytes; 3 evicted in total']);
    t += 1_000;
    r.report(2, 1, 'over 10 bytes');
    r.report(1, 1, 'over 10 bytes');
    r.report(4, 2, 'older than 5 ms');
    expect(log.warns).toHaveLength(1);
    expect(r.pending()).toBe(7);
    r.flush();
    expect(log.warns[1]).toBe('store: evicted 3 items (2 requests, oldest first): over 10 bytes; 4 items (2 requests, oldest first): older than 5 ms; 10 evicted in total');
    expect(r.pending()).toBe(0);
    expect(r.total()).toBe(10);
    r.flush();
    expect(log.warns).toHaveLength(2); // nothing pending: no line
  });

  it('logs what was held back with the first eviction after the interval', () => {
    let t = 0;
    const log = recorder();
    const r = createEvictionReporter(log, 'store', () => t);
    r.report(1, 1, 'x');
    t += EVICTION_LOG_INTERVAL_MILLIS - 1;
    r.report(2, 1, 'x');
    expect(log.warns).toHaveLength(1);
    t += 1;
    r.report(3, 1, 'x');
    expect(log.warns).toHaveLength(2);
    expect(itemsIn(log.warns)).toBe(6);
    // A flush restarts the interval: the next eviction within it waits.
    r.report(1, 1, 'x');
    expect(log.warns).toHaveLength(2);
  });

  it('counts a report with items but no whole request, and one with a request but no items', () => {
    const log = recorder();
    const r = createEvictionReporter(log, 'store', () => 0);
    r.report(2, 0, 'x');
    r.report(0, 1, 'y');
    r.flush();
    expect(r.total()).toBe(2);
    expect(log.warns).toEqual([
      'store: evicted 2 items (0 requests, oldest first): x; 2 evicted in total',
      'store: evicted 0 items (1 requests, oldest first): y; 2 evicted in total',
    ]);
  });

  it('ignores empty reports', () => {
    const log = recorder();
    const r = createEvictionReporter(log, 'store', () => 0);
    r.report(0, 0, 'x');
    expect(log.warns).toEqual([]);
    expect(r.total()).toBe(0);
  });
});

describe('stores report every eviction after flushReports/close (issue 20: 6 evicted, 3 logged)', () => {
  it('file store: three evictions of 2 items within a minute give 6 items in warn lines once flushed', async () => {
    const logs = captureDiag();
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-evict-'));
    try {
      let t = 1_000_000;
      const store = createFileStore({ disabled: false, directory: dir, maxBytes: 250, maxAgeMillis: 3_600_000 }, { now: () => t });
      for (let i = 0; i < 5; i++) { await store.put({ data: new Uint8Array(100), gzip: false, itemCount: 2 }); t += 10; }
      expect(itemsIn(logs.of('warn'))).toBe(2); // the first eviction at once, the others held back
      store.flushReports();
      expect(itemsIn(logs.of('warn'))).toBe(6);
      await store.close();
      expect(itemsIn(logs.of('warn'))).toBe(6);
    } finally {
      logs.restore();
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it('memory queue: what is pending is logged at close', async () => {
    const logs = captureDiag();
    try {
      const store = createMemoryQueue({ maxBytes: 250, now: () => 5 });
      for (let i = 0; i < 5; i++) await store.put({ data: new Uint8Array(100), gzip: false, itemCount: 2 });
      expect(itemsIn(logs.of('warn'))).toBe(2);
      await store.close();
      expect(itemsIn(logs.of('warn'))).toBe(6);
    } finally {
      logs.restore();
    }
  });
});
