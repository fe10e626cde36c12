import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiagnosticEvent } from '../../src/diag/diagnostic-event';
import type { EntryProblem } from '../../src/delivery/entry-problem';
import { setAsideEntry } from '../../src/delivery/set-aside-entry';
import type { StoreDirectory } from '../../src/delivery/store-directory';

const NAME = '000000000000001-aaaaaaaaaaaa-3i-10b-id.ai';
const REMOVE: EntryProblem = { reason: 'it is a symbolic link', action: 'remove' };
const MOVE: EntryProblem = { reason: 'it is a directory', action: 'move-aside' };

/** The two members of a store directory that setting aside uses, over a real temp directory. */
const directoryAt = (dir: string): StoreDirectory => ({ dir, at: (name: string) => path.join(dir, name) }) as StoreDirectory;

describe('setAsideEntry: a bad entry leaves the queue without being read', () => {
  let dir: string;
  let outside: string;
  let events: DiagnosticEvent[];
  const warnings = { report: (e: DiagnosticEvent): void => { events.push(e); } };
  const names = (): Promise<string[]> => fs.promises.readdir(dir).then((n) => n.sort());

  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-aside-'));
    outside = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-aside-out-'));
    events = [];
  });
  afterEach(async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
    await fs.promises.rm(outside, { recursive: true, force: true });
  });

  it('removes a symbolic link without touching its target, and warns once naming the items it drops', async () => {
    await fs.promises.writeFile(path.join(outside, 'target'), 'keep me');
    await fs.promises.symlink(path.join(outside, 'target'), path.join(dir, NAME));
    expect(await setAsideEntry(directoryAt(dir), NAME, 3, REMOVE, warnings)).toBe(true);
    expect(await names()).toEqual([]);
    expect(await fs.promises.readFile(path.join(outside, 'target'), 'utf8')).toBe('keep me');
    expect(events).toEqual([{
      causeKey: 'offline-store:bad-entry', level: 'warn',
      message: `offline store ${dir}: ${NAME} is not a queued request the store wrote (it is a symbolic link); removed, never sent (the 3 items its name declares are not delivered)`,
    }]);
  });

  it('moves a directory aside under a name that is no entry, keeping what is inside', async () => {
    await fs.promises.mkdir(path.join(dir, NAME));
    await fs.promises.writeFile(path.join(dir, NAME, 'inside'), 'data');
    expect(await setAsideEntry(directoryAt(dir), NAME, 3, MOVE, warnings)).toBe(true);
    expect(await names()).toEqual([`.aside-${NAME}`]);
    expect(await fs.promises.readFile(path.join(dir, `.aside-${NAME}`, 'inside'), 'utf8')).toBe('data');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ causeKey: 'offline-store:bad-entry', level: 'warn' });
    expect(events[0]!.message).toContain(`(it is a directory); moved aside to .aside-${NAME}, never sent`);
  });

  it.each([['remove', REMOVE], ['move aside', MOVE]] as const)('%s of an entry already gone (another process took it): done, no warning', async (_label, problem) => {
    expect(await setAsideEntry(directoryAt(dir), NAME, 3, problem, warnings)).toBe(true);
    expect(events).toEqual([]);
  });

  it.each([
    ['removed', REMOVE, 'EISDIR'], // unlink of a directory
    ['moved aside', MOVE, 'ENOTEMPTY'], // the aside name is taken by a non-empty directory
  ] as const)('an entry that cannot be %s: false (the store skips it), one stuck warning with the cause', async (verb, problem, code) => {
    await fs.promises.mkdir(path.join(dir, NAME));
    await fs.promises.writeFile(path.join(dir, NAME, 'inside'), 'data');
    await fs.promises.mkdir(path.join(dir, `.aside-${NAME}`));
    await fs.promises.writeFile(path.join(dir, `.aside-${NAME}`, 'earlier'), 'x');
    expect(await setAsideEntry(directoryAt(dir), NAME, 3, problem, warnings)).toBe(false);
    expect(await names()).toEqual([`.aside-${NAME}`, NAME]);
    expect(events).toEqual([{
      causeKey: 'offline-store:bad-entry-stuck', level: 'warn',
      message: `offline store ${dir}: ${NAME} is not a queued request (${problem.reason}) and could not be ${verb} (${code}); it is skipped and never sent`,
    }]);
  });

  it('names an error without a code by its text', async () => {
    const unlink = jest.spyOn(fs.promises, 'unlink').mockRejectedValueOnce(new Error('odd failure'));
    try {
      expect(await setAsideEntry(directoryAt(dir), NAME, 3, REMOVE, warnings)).toBe(false);
    } finally {
      unlink.mockRestore();
    }
    expect(events[0]!.message).toContain('could not be removed (Error: odd failure)');
  });
});
