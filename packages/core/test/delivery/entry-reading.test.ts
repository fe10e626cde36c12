import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entryProblem, type EntryStat } from '../../src/delivery/entry-problem';
import { parseEntryName, type EntryName } from '../../src/delivery/file-names';
import { readEntryFile } from '../../src/delivery/read-entry-file';

const entry = (bytes: number): EntryName => parseEntryName(`000000000000001-aaaaaaaaaaaa-1i-${bytes}b-id.ai`) as EntryName;
const UID = 1000;
const stat = (over: Partial<{ kind: 'file' | 'dir' | 'link' | 'fifo'; size: number; mode: number; uid: number }> = {}): EntryStat => {
  const kind = over.kind ?? 'file';
  return {
    isFile: () => kind === 'file', isDirectory: () => kind === 'dir', isSymbolicLink: () => kind === 'link',
    size: over.size ?? 10, mode: over.mode ?? 0o100600, uid: over.uid ?? UID,
  };
};

describe('entryProblem: only a regular file the store could have written, of the declared size, within the bound', () => {
  it.each<[string, EntryStat, number, string | undefined, 'remove' | 'move-aside' | undefined]>([
    ['a regular 0600 file of the declared size', stat(), 10, undefined, undefined],
    ['a file of exactly the bound', stat({ size: 10 }), 10, undefined, undefined],
    ['owner read-only (0400)', stat({ mode: 0o100400 }), 10, undefined, undefined],
    ['a symbolic link', stat({ kind: 'link' }), 10, 'symbolic link', 'remove'],
    ['a directory', stat({ kind: 'dir' }), 10, 'directory', 'move-aside'],
    ['a FIFO', stat({ kind: 'fifo' }), 10, 'not a regular file', 'remove'],
    ['one byte over the bound', stat({ size: 11 }), 10, 'over the bound of 10', 'remove'],
    ['shorter than declared', stat({ size: 9 }), 10, 'its name says 10', 'remove'],
    ['another owner', stat({ uid: UID + 1 }), 10, `uid ${UID + 1}`, 'move-aside'],
    ['group-readable (0640)', stat({ mode: 0o100640 }), 10, 'mode 0640', 'move-aside'],
    ['others-writable (0602)', stat({ mode: 0o100602 }), 10, 'mode 0602', 'move-aside'],
    ['not readable by its owner (0200)', stat({ mode: 0o100200 }), 10, 'mode 0200', 'move-aside'],
  ])('%s', (_label, s, maxBytes, reason, action) => {
    const problem = entryProblem(s, entry(10), maxBytes, UID);
    if (reason === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem?.reason).toContain(reason);
      expect(problem?.action).toBe(action);
    }
  });

  it('skips owner and mode checks where the platform has no uids', () => {
    expect(entryProblem(stat({ uid: 0, mode: 0o100666 }), entry(10), 10, undefined)).toBeUndefined();
  });
});

describe('readEntryFile: what is opened after lstat is checked again on the descriptor', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-read-')); });
  afterEach(async () => { jest.restoreAllMocks(); await fs.promises.rm(dir, { recursive: true, force: true }); });

  it('reads exactly the declared bytes of a regular file', async () => {
    const file = path.join(dir, 'a');
    await fs.promises.writeFile(file, Buffer.from('0123456789'), { mode: 0o600 });
    const result = await readEntryFile(file, entry(10), 100);
    expect(result.kind).toBe('read');
    expect(Buffer.from((result as { data: Uint8Array }).data).toString()).toBe('0123456789');
  });

  it('refuses a symbolic link swapped in after the lstat (O_NOFOLLOW), without reading the target', async () => {
    const target = path.join(dir, 'target');
    await fs.promises.writeFile(target, Buffer.alloc(10, 1), { mode: 0o600 });
    await fs.promises.symlink(target, path.join(dir, 'link'));
    expect(await readEntryFile(path.join(dir, 'link'), entry(10), 100)).toEqual({ kind: 'bad', problem: { reason: 'it is a symbolic link', action: 'remove' } });
  });

  (process.platform === 'win32' ? it.skip : it)('refuses a FIFO swapped in after the lstat without blocking (O_NONBLOCK)', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const result = await readEntryFile(fifo, entry(10), 100);
    expect(result).toMatchObject({ kind: 'bad', problem: { action: 'remove' } });
  });

  it('refuses a file that grew past its declared size before reading a byte', async () => {
    const file = path.join(dir, 'big');
    await fs.promises.writeFile(file, Buffer.alloc(50, 1), { mode: 0o600 });
    let reads = 0;
    const realOpen = fs.promises.open.bind(fs.promises);
    jest.spyOn(fs.promises, 'open').mockImplementation(async (...args: Parameters<typeof fs.promises.open>) => {
      const handle = await realOpen(...args);
      const realRead = handle.read.bind(handle) as (...a: unknown[]) => unknown;
      (handle as { read: unknown }).read = (...a: unknown[]) => { reads++; return realRead(...a); };
      return handle;
    });
    expect(await readEntryFile(file, entry(10), 100)).toMatchObject({ kind: 'bad', problem: { action: 'remove' } });
    expect(reads).toBe(0);
  });

  it('says gone for a file that vanished, and move-aside for one it may not open', async () => {
    expect(await readEntryFile(path.join(dir, 'none'), entry(10), 100)).toEqual({ kind: 'gone' });
    jest.spyOn(fs.promises, 'open').mockRejectedValue(Object.assign(new Error('denied'), { code: 'EACCES' }));
    expect(await readEntryFile(path.join(dir, 'x'), entry(10), 100)).toEqual({ kind: 'bad', problem: { reason: 'it cannot be opened (EACCES)', action: 'move-aside' } });
  });

  /** Open through the real fs, with `read` and `close` of the handle replaced or counted. */
  const withHandle = (read?: (real: (...a: unknown[]) => Promise<{ bytesRead: number }>, ...a: unknown[]) => Promise<{ bytesRead: number }>) => {
    const closes: number[] = [];
    const realOpen = fs.promises.open.bind(fs.promises);
    jest.spyOn(fs.promises, 'open').mockImplementation(async (...args: Parameters<typeof fs.promises.open>) => {
      const handle = await realOpen(...args);
      const realRead = handle.read.bind(handle) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
      const realClose = handle.close.bind(handle);
      if (read) (handle as { read: unknown }).read = (...a: unknown[]) => read(realRead, ...a);
      (handle as { close: unknown }).close = () => { closes.push(1); return realClose(); };
      return handle;
    });
    return closes;
  };

  it('refuses a file that ends early after the fstat (a read returns 0 bytes), and closes it', async () => {
    const file = path.join(dir, 'short');
    await fs.promises.writeFile(file, Buffer.alloc(10, 1), { mode: 0o600 });
    let calls = 0;
    const closes = withHandle(async (real, ...a) => (++calls === 1 ? { ...(await real(a[0], a[1], 4, a[3])) } : { bytesRead: 0 }));
    expect(await readEntryFile(file, entry(10), 100)).toEqual({ kind: 'bad', problem: { reason: 'it ends after 4 bytes, its name says 10', action: 'remove' } });
    expect(calls).toBe(2);
    expect(closes).toHaveLength(1);
  });

  it('reads in several pieces when the system returns fewer bytes than asked', async () => {
    const file = path.join(dir, 'pieces');
    await fs.promises.writeFile(file, Buffer.from('abcdefghij'), { mode: 0o600 });
    const closes = withHandle(async (real, ...a) => real(a[0], a[1], Math.min(3, a[2] as number), a[3]));
    const result = await readEntryFile(file, entry(10), 100);
    expect(Buffer.from((result as { data: Uint8Array }).data).toString()).toBe('abcdefghij');
    expect(closes).toHaveLength(1);
  });

  it('moves aside a file whose read fails, and closes it', async () => {
    const file = path.join(dir, 'eio');
    await fs.promises.writeFile(file, Buffer.alloc(10, 1), { mode: 0o600 });
    const closes = withHandle(async () => { throw Object.assign(new Error('io'), { code: 'EIO' }); });
    expect(await readEntryFile(file, entry(10), 100)).toEqual({ kind: 'bad', problem: { reason: 'it cannot be read (EIO)', action: 'move-aside' } });
    expect(closes).toHaveLength(1);
  });

  it('closes the descriptor of a refused file too', async () => {
    const file = path.join(dir, 'big');
    await fs.promises.writeFile(file, Buffer.alloc(50, 1), { mode: 0o600 });
    const closes = withHandle();
    expect(await readEntryFile(file, entry(10), 100)).toMatchObject({ kind: 'bad' });
    expect(closes).toHaveLength(1);
  });
});
