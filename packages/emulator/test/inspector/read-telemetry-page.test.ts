import { MAX_PAGE_ROWS, readTelemetryPage } from '../../src/inspector/read-telemetry-page';
import type { Row } from '../../src/storage/row';

const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({ name: `GET /item/${i}`, success: i % 3 !== 0 }));
const names = (r: readonly Row[]): unknown[] => r.map((x) => x['name']);

describe('readTelemetryPage', () => {
  it.each([
    ['the first page, newest first', { offset: 0, limit: 3 }, 10, ['GET /item/9', 'GET /item/8', 'GET /item/7']],
    ['a later page', { offset: 8, limit: 3 }, 10, ['GET /item/1', 'GET /item/0']],
    ['past the end', { offset: 20, limit: 3 }, 10, []],
    ['a filter, case-insensitive, in any column', { filter: 'ITEM/1', offset: 0, limit: 5 }, 1, ['GET /item/1']],
    ['a filter on a value', { filter: '"success":false', offset: 0, limit: 10 }, 4, ['GET /item/9', 'GET /item/6', 'GET /item/3', 'GET /item/0']],
    ['a filtered later page', { filter: '"success":false', offset: 3, limit: 10 }, 4, ['GET /item/0']],
    ['a negative offset as 0', { offset: -5, limit: 1 }, 10, ['GET /item/9']],
  ])('reads %s', (_what, request, total, expected) => {
    const page = readTelemetryPage(rows, request);
    expect(page.total).toBe(total);
    expect(names(page.rows)).toEqual(expected);
  });

  it('caps a page', () => {
    const many: Row[] = Array.from({ length: MAX_PAGE_ROWS + 5 }, (_, i) => ({ i }));
    expect(readTelemetryPage(many, { offset: 0, limit: 1e9 }).rows).toHaveLength(MAX_PAGE_ROWS);
  });
});
