import { MAX_PAGE_ROWS, readTelemetryPage, type PageRequest } from '../../src/inspector/read-telemetry-page';
import { createMemoryStore } from '../../src/storage/create-memory-store';
import type { Row } from '../../src/storage/row';

const store = createMemoryStore();
store.insert('traces', Array.from({ length: MAX_PAGE_ROWS + 5 }, (_, i): Row => ({ appId: 'A', message: `m${i}` })));
store.insert('traces', [{ appId: 'B', message: 'other' }]);
const last = MAX_PAGE_ROWS + 4;

describe('readTelemetryPage', () => {
  it.each<[string, PageRequest, number, number, string | undefined]>([
    ['a page as asked', { offset: 2, limit: 3 }, 2, 3, `m${last - 2}`],
    ['a limit over the cap as the cap', { offset: 0, limit: 1e9 }, 0, MAX_PAGE_ROWS, `m${last}`],
    ['a limit under 1 as 1', { offset: 0, limit: 0 }, 0, 1, `m${last}`],
    ['a negative offset as 0', { offset: -5, limit: 1 }, 0, 1, `m${last}`],
    ['a fractional offset rounded down', { offset: 1.7, limit: 1 }, 1, 1, `m${last - 1}`],
    ['a NaN offset and limit as 0 and 1', { offset: NaN, limit: NaN }, 0, 1, `m${last}`],
    ['an infinite offset as past the end', { offset: Infinity, limit: 5 }, Number.MAX_SAFE_INTEGER, 0, undefined],
    ['a filter, handed to the store', { filter: 'M100', offset: 0, limit: 10 }, 0, 6, `m${last}`],
  ])('reads %s', (_what, request, offset, rows, first) => {
    const page = readTelemetryPage(store, 'traces', 'A', request);
    expect(page.offset).toBe(offset);
    expect(page.rows).toHaveLength(rows);
    expect(page.rows[0]?.['message']).toBe(first);
  });

  it('counts only the application\'s rows that match', () => {
    expect(readTelemetryPage(store, 'traces', 'A', { offset: 0, limit: 1 }).total).toBe(MAX_PAGE_ROWS + 5);
    expect(readTelemetryPage(store, 'traces', 'A', { filter: 'm100', offset: 0, limit: 1 }).total).toBe(6);
    expect(readTelemetryPage(store, 'traces', 'B', { offset: 0, limit: 1 }).rows).toEqual([{ appId: 'B', message: 'other' }]);
  });
});
