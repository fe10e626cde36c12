import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { StorageConfig } from '../../src/config/resolved-config';
import { formatEntryName, formatTempName } from '../../src/delivery/file-names';
import { formatLeaseName } from '../../src/delivery/lease';
import { createStoreDirectory, type StoreDirectoryOptions } from '../../src/delivery/store-directory';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const NOW = 10_000_000;

describe('createStoreDirectory', () => {
  let dir: string;
  let logs: LogCapture;
  const storage = (): StorageConfig => ({ disabled: false, directory: dir, maxBytes: 1 << 20, maxAgeMillis: 3_600_000 });
  const open = (over: Partial<StoreDirectoryOptions> = {}) =>
    createStoreDirectory(storage(), { now: () => NOW, pidAlive: () => true, isHeld: () => false, ...over });
  const plant = async (...names: string[]): Promise<void> => {
    await fs.promises.mkdir(dir, { recursive: true });
    for (const name of names) await fs.promises.writeFile(path.join(dir, name), 'x');
  };
  const names = async (): Promise<string[]> => (await fs.promises.readdir(dir)).sort();
  const ownDebug = (): string[] => logs.of('debug').filter((l) => l.includes('offline store'));

  beforeEach(async () => {
    dir = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-dir-')), 'store');
    logs = captureDiag();
  });
  afterEach(async () => {
    logs.restore();
    jest.restoreAllMocks();
    await fs.promises.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('lists entries oldest first whatever order the directory gives, and counts leases apart', async () => {
    const old = formatEntryName(1_000, 1, 10, false);
    const mid = formatEntryName(2_000, 2, 20, true);
    const young = formatEntryName(3_000, 3, 30, false);
    const lease = formatLeaseName(formatEntryName(1_500, 4, 40, true), NOW + 60_000, 4242);
    await plant(young, old, lease, mid);
    jest.spyOn(fs.promises, 'readdir').mockResolvedValueOnce([young, lease, old, mid] as never);
    const listing = await open().list(false);
    expect(listing.entries.map((e) => e.name)).toEqual([old, mid, young]);
    expect(listing).toMatchObject({ leaseBytes: 40, leaseItems: 4, leaseRequests: 1 });
  });

  it('stats count entries and leases; a missing or unreadable directory counts zero', async () => {
    await plant(formatEntryName(1_000, 2, 20, false), formatLeaseName(formatEntryName(1_500, 3, 30, true), NOW + 60_000, 4242));
    expect(await open().stats()).toEqual({ requests: 2, items: 5, bytes: 50 });
    jest.spyOn(fs.promises, 'readdir').mockRejectedValueOnce(Object.assign(new Error('io'), { code: 'EIO' }));
    expect(await open().stats()).toEqual({ requests: 0, items: 0, bytes: 0 });
    await fs.promises.rm(dir, { recursive: true });
    expect(await open().stats()).toEqual({ requests: 0, items: 0, bytes: 0 });
    expect(await open().list(true)).toEqual({ entries: [], leaseBytes: 0, leaseItems: 0, leaseRequests: 0 });
  });

  it('a directory that fails other than by being missing is thrown from list', async () => {
    jest.spyOn(fs.promises, 'readdir').mockRejectedValueOnce(Object.assign(new Error('io'), { code: 'EIO' }));
    await expect(open().list(false)).rejects.toMatchObject({ code: 'EIO' });
  });

  it('reclaims a stale lease only when asked, never one this process holds, and says how many', async () => {
    const a = formatEntryName(1_000, 1, 10, false);
    const b = formatEntryName(2_000, 1, 10, false);
    const staleA = formatLeaseName(a, NOW - 1, 4242);
    const staleB = formatLeaseName(b, NOW - 1, 4242);
    await plant(staleA, staleB);
    expect((await open().list(false)).entries).toEqual([]);
    expect(await names()).toEqual([staleA, staleB].sort());
    const listing = await open({ isHeld: (name) => name === b }).list(true);
    expect(listing.entries.map((e) => e.name)).toEqual([a]);
    expect(listing).toMatchObject({ leaseBytes: 10, leaseItems: 1, leaseRequests: 1 });
    expect(await names()).toEqual([a, staleB].sort());
    expect(logs.of('info').join('\n')).toContain('offline store: reclaimed 1 stale leases');
  });

  it('a lease another process reclaims first stays counted as a lease; another rename failure is logged', async () => {
    const a = formatEntryName(1_000, 1, 10, false);
    await plant(formatLeaseName(a, NOW - 1, 4242));
    jest.spyOn(fs.promises, 'rename').mockRejectedValueOnce(Object.assign(new Error('gone'), { code: 'ENOENT' }))
      .mockRejectedValueOnce(Object.assign(new Error('busy'), { code: 'EBUSY' }));
    expect(await open().list(true)).toMatchObject({ entries: [], leaseRequests: 1 });
    expect(ownDebug()).toEqual([]);
    expect(await open().list(true)).toMatchObject({ entries: [], leaseRequests: 1 });
    expect(ownDebug()).toEqual([expect.stringMatching(/could not reclaim \S+: EBUSY/)]);
    expect(logs.of('info')).toEqual([]);
  });

  it('deletes temp files of dead writers only when reclaiming, never its own or a live writer\'s', async () => {
    const entry = formatEntryName(1_000, 1, 10, false);
    const dead = formatTempName(entry, 999_999);
    const live = formatTempName(entry, 4242);
    const mine = formatTempName(entry);
    await plant(dead, live, mine);
    const pidAlive = (pid: number): boolean => pid === 4242;
    await open({ pidAlive }).list(false);
    expect(await names()).toEqual([dead, live, mine].sort());
    await open({ pidAlive }).list(true);
    expect(await names()).toEqual([live, mine].sort());
  });

  it('unlinkQuietly: true when deleted, false when gone (silently) or when it fails (logged)', async () => {
    await plant('a.ai');
    const d = open();
    expect(await d.unlinkQuietly('a.ai')).toBe(true);
    expect(await d.unlinkQuietly('a.ai')).toBe(false);
    expect(ownDebug()).toEqual([]);
    await plant('b.ai');
    jest.spyOn(fs.promises, 'unlink').mockRejectedValueOnce(Object.assign(new Error('busy'), { code: 'EBUSY' }));
    expect(await d.unlinkQuietly('b.ai')).toBe(false);
    expect(ownDebug()).toEqual([expect.stringContaining('offline store: could not delete b.ai: EBUSY')]);
  });

  it('ensure creates the directory private (0700) once, and tries again after a failure', async () => {
    const d = open();
    const mkdir = jest.spyOn(fs.promises, 'mkdir').mockRejectedValueOnce(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    await expect(d.ensure()).rejects.toMatchObject({ code: 'ENOSPC' });
    await d.ensure();
    await d.ensure();
    expect(mkdir).toHaveBeenCalledTimes(2);
    expect((await fs.promises.stat(dir)).mode & 0o777).toBe(0o700);
    d.forget();
    await d.ensure();
    expect(mkdir).toHaveBeenCalledTimes(3);
    expect(d.at('x.ai')).toBe(path.join(dir, 'x.ai'));
  });
  it('stats never reclaim a stale lease (only a claim\'s listing does)', async () => {
    const stale = formatLeaseName(formatEntryName(1_000, 2, 10, false), NOW - 1, 4242);
    await plant(stale);
    expect(await open({ pidAlive: () => false }).stats()).toEqual({ requests: 1, items: 2, bytes: 10 });
    expect(await names()).toEqual([stale]);
  });

  it('a private directory that does not exist yet is listed as empty, never created by a listing', async () => {
    const d = createStoreDirectory({ ...storage(), requirePrivate: true }, { now: () => NOW, pidAlive: () => true, isHeld: () => false });
    expect(await d.list(true)).toEqual({ entries: [], leaseBytes: 0, leaseItems: 0, leaseRequests: 0 });
    await expect(fs.promises.stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a private directory is checked before the first listing, and one it created this run is not checked again', async () => {
    const lstats = (): jest.SpyInstance => jest.spyOn(fs.promises, 'lstat');
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const found = createStoreDirectory({ ...storage(), requirePrivate: true }, { now: () => NOW, pidAlive: () => true, isHeld: () => false });
    const before = lstats();
    await found.list(false);
    expect(before.mock.calls.map(([p]) => String(p))).toEqual([path.dirname(dir), dir]); // parent and directory
    before.mockRestore();
    const created = createStoreDirectory({ ...storage(), requirePrivate: true }, { now: () => NOW, pidAlive: () => true, isHeld: () => false });
    await created.ensure();
    const after = lstats();
    await created.list(false);
    await created.list(true);
    expect(after).not.toHaveBeenCalled();
    after.mockRestore();
  });
});
