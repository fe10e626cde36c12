import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmulatorError } from '../../src/errors';
import { createMemoryStore } from '../../src/storage/create-memory-store';
import { createSqliteStore } from '../../src/storage/create-sqlite-store';
import type { Row } from '../../src/storage/row';
import type { PageQuery, Store } from '../../src/storage/store';

// Ten rows of app A (item 0 inserted first) interleaved with five of app B, so paging must skip B's.
const rowsInserted: Row[] = Array.from({ length: 15 }, (_, i): Row => (i % 3 === 2
  ? { appId: 'B', timestamp: 1_000 + i, name: `GET /other/${i}`, success: true }
  : { appId: 'A', timestamp: 1_000 + i, name: `GET /item/${Math.floor(i / 3) * 2 + (i % 3)}`, success: (Math.floor(i / 3) * 2 + (i % 3)) % 3 !== 0, customDimensions: { city: 'Zürich' } }));
const names = (rows: readonly Row[]): unknown[] => rows.map((r) => r['name']);
const items = (...n: number[]): string[] => n.map((i) => `GET /item/${i}`);

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-page-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const stores: [string, () => Store][] = [
  ['memory', () => createMemoryStore()],
  ['SQLite', () => createSqliteStore(tempDir())],
];

describe.each(stores)('Store.page (%s)', (_kind, create) => {
  let store: Store;
  beforeAll(() => {
    store = create();
    // Two inserts: paging follows insertion order across batches.
    store.insert('requests', rowsInserted.slice(0, 7));
    store.insert('requests', rowsInserted.slice(7));
  });
  afterAll(() => store.close());

  it.each<[string, Omit<PageQuery, 'appId'> & { appId?: string }, number, string[]]>([
    ['the first page, newest first', { appId: 'A', offset: 0, limit: 3 }, 10, items(9, 8, 7)],
    ['a middle page', { appId: 'A', offset: 3, limit: 3 }, 10, items(6, 5, 4)],
    ['the last, partial page', { appId: 'A', offset: 9, limit: 3 }, 10, items(0)],
    ['an offset at the end', { appId: 'A', offset: 10, limit: 3 }, 10, []],
    ['an offset past the end', { appId: 'A', offset: 50, limit: 3 }, 10, []],
    ['a limit of 0 (the total only)', { appId: 'A', offset: 0, limit: 0 }, 10, []],
    ['every row in one page', { appId: 'A', offset: 0, limit: 100 }, 10, items(9, 8, 7, 6, 5, 4, 3, 2, 1, 0)],
    ['a text filter, case-insensitive', { appId: 'A', text: 'ITEM/1', offset: 0, limit: 5 }, 1, items(1)],
    ['a text filter around spaces', { appId: 'A', text: '  item/1  ', offset: 0, limit: 5 }, 1, items(1)],
    ['a blank text filter as none', { appId: 'A', text: '   ', offset: 0, limit: 2 }, 10, items(9, 8)],
    ['a text filter on a value', { appId: 'A', text: '"success":false', offset: 0, limit: 10 }, 4, items(9, 6, 3, 0)],
    ['a filtered later page', { appId: 'A', text: '"success":false', offset: 3, limit: 10 }, 4, items(0)],
    ['a filtered page past the end', { appId: 'A', text: '"success":false', offset: 4, limit: 10 }, 4, []],
    ['a non-ASCII filter, case-folded as JavaScript folds it', { appId: 'A', text: 'ZÜRICH', offset: 0, limit: 1 }, 10, items(9)],
    ['a filter nothing matches', { appId: 'A', text: 'no such text', offset: 0, limit: 10 }, 0, []],
    ['a filter that matches only another application', { appId: 'A', text: '/other/', offset: 0, limit: 10 }, 0, []],
    ['the other application', { appId: 'B', offset: 1, limit: 2 }, 5, ['GET /other/11', 'GET /other/8']],
    ['an application with no rows', { appId: 'C', offset: 0, limit: 10 }, 0, []],
    ['every application when none is named', { offset: 0, limit: 3 }, 15, ['GET /other/14', ...items(9, 8)]],
    ['a filter over every application', { text: 'get /other/1', offset: 0, limit: 10 }, 2, ['GET /other/14', 'GET /other/11']],
  ])('reads %s', (_what, query, total, expected) => {
    const page = store.page('requests', query);
    expect(page.total).toBe(total);
    expect(names(page.rows)).toEqual(expected);
  });

  it('returns rows as stored', () => {
    expect(store.page('requests', { appId: 'A', offset: 9, limit: 1 }).rows).toEqual([rowsInserted[0]]);
  });

  it('reads an empty table', () => {
    expect(store.page('traces', { appId: 'A', text: 'x', offset: 0, limit: 10 })).toEqual({ total: 0, rows: [] });
  });

  it.each([
    ['a negative offset', { offset: -1, limit: 1 }],
    ['a fractional limit', { offset: 0, limit: 1.5 }],
    ['an infinite limit', { offset: 0, limit: Infinity }],
    ['a NaN offset', { offset: NaN, limit: 1 }],
  ])('refuses %s with EMU_PAGE', (_what, query) => {
    expect(() => store.page('requests', query)).toThrow(expect.objectContaining({ code: 'EMU_PAGE' }) as unknown as EmulatorError);
    expect(() => store.page('requests', query)).toThrow(EmulatorError);
  });
});

describe('Store.page (SQLite, reopened)', () => {
  it('pages a database written by an earlier start, newest first', () => {
    const dir = tempDir();
    const first = createSqliteStore(dir);
    first.insert('traces', [{ appId: 'A', message: 'old' }]);
    first.close();
    const again = createSqliteStore(dir);
    again.insert('traces', [{ appId: 'A', message: 'new' }]);
    expect(again.page('traces', { appId: 'A', offset: 0, limit: 5 }).rows.map((r) => r['message'])).toEqual(['new', 'old']);
    again.close();
  });
});

describe.each(stores)('Store.read and count by operation id (%s)', (_kind, create) => {
  let store: Store;
  beforeAll(() => {
    store = create();
    store.insert('dependencies', [
      { appId: 'A', operation_Id: 'op1', name: 'first' },
      { appId: 'A', operation_Id: 'op2', name: 'other operation' },
      { appId: 'B', operation_Id: 'op1', name: 'other application' },
      { appId: 'A', operation_Id: null, name: 'no operation' },
      { appId: 'A', operation_Id: 'op1', name: 'second' },
    ]);
  });
  afterAll(() => store.close());

  it.each<[string, { appId?: string; operationId: string; limit?: number }, string[]]>([
    ['an operation of an application, in insertion order', { appId: 'A', operationId: 'op1' }, ['first', 'second']],
    ['an operation in every application', { operationId: 'op1' }, ['first', 'other application', 'second']],
    ['an operation with a limit', { appId: 'A', operationId: 'op1', limit: 1 }, ['first']],
    ['an unknown operation', { appId: 'A', operationId: 'op9' }, []],
  ])('reads %s', (_what, filter, expected) => {
    expect(store.read('dependencies', filter).map((r) => r['name'])).toEqual(expected);
    expect(store.count('dependencies', { ...filter, limit: undefined })).toBe(filter.limit === undefined ? expected.length : 2);
  });
});
