import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFileStore, createOfflineStore } from '../../src/delivery/file-store';
import { StoreUnusableError } from '../../src/delivery/store-unusable-error';
import { formatEntryName, parseEntryName, parseTempName } from '../../src/delivery/file-names';
import { formatLeaseName, parseLeaseName } from '../../src/delivery/lease';
import type { StorageConfig } from '../../src/config/resolved-config';
import type { RequestBody } from '../../src/transport/transport-types';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const body = (bytes: number, itemCount = 1, fill = 1, gzip = false): RequestBody => ({ data: new Uint8Array(bytes).fill(fill), gzip, itemCount });

describe('createFileStore', () => {
  let dir: string;
  let logs: LogCapture;
  const storage = (over: Partial<StorageConfig> = {}): StorageConfig => ({ disabled: false, directory: dir, maxBytes: 50 * 1024 * 1024, maxAgeMillis: 48 * 3_600_000, ...over });

  beforeEach(async () => {
    dir = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-store-')), 'store');
    logs = captureDiag();
  });
  afterEach(async () => {
    logs.restore();
    jest.restoreAllMocks();
    await fs.promises.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('writes the exact body bytes atomically, with gzip flag and item count in the file name', async () => {
    const store = createFileStore(storage());
    const data = Uint8Array.from([31, 139, 8, 0, 1, 2, 3]);
    const put = await store.put({ data, gzip: true, itemCount: 3 });
    expect(put).toMatchObject({ stored: true, evictedItems: 0 });
    const names = await fs.promises.readdir(dir);
    expect(names).toEqual([put.id]);
    expect(put.id).toMatch(/-3i-7b-gz\.ai$/);
    expect(Buffer.from(await fs.promises.readFile(path.join(dir, put.id!)))).toEqual(Buffer.from(data));
    const [claimed] = await createFileStore(storage()).claim(1);
    expect(claimed?.body).toEqual({ data: expect.any(Uint8Array), gzip: true, itemCount: 3 });
    expect(Buffer.from(claimed!.body.data)).toEqual(Buffer.from(data));
  });

  // Issue 11, item 3: a write straight to the final name would let a reader (another process's
  // drain) claim and send a half-written file. Every byte goes to a temp name, then one rename.
  it.each([
    ['put', false],
    ['putLeased (write-ahead)', true],
  ])('%s never writes to a name a reader would claim: temp file, then rename', async (_label, leased) => {
    const store = createFileStore(storage());
    const writes: string[] = [];
    const renames: [string, string][] = [];
    const realWriteFile = fs.promises.writeFile.bind(fs.promises);
    const realRename = fs.promises.rename.bind(fs.promises);
    jest.spyOn(fs.promises, 'writeFile').mockImplementation(async (file, data, options) => {
      writes.push(path.basename(String(file)));
      // While the bytes are being written, no entry a reader could claim exists yet.
      expect((await fs.promises.readdir(dir)).filter((n) => parseEntryName(n) || parseLeaseName(n))).toEqual([]);
      return realWriteFile(file, data, options);
    });
    jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => {
      renames.push([path.basename(String(from)), path.basename(String(to))]);
      return realRename(from, to);
    });
    const put = leased ? await store.putLeased(body(10, 2)) : await store.put(body(10, 2));
    expect(writes).toHaveLength(1);
    expect(parseTempName(writes[0]!)).toBe(process.pid);
    expect(parseEntryName(writes[0]!)).toBeUndefined();
    expect(renames).toHaveLength(1);
    expect(renames[0]![0]).toBe(writes[0]);
    const target = renames[0]![1];
    expect(leased ? parseLeaseName(target)?.entry.name : parseEntryName(target)?.name).toBe(put.id);
  });

  it('putLeased holds the entry for the caller: no claim gets it until it is released; a dead writer\'s lease is reclaimed', async () => {
    const mine = createFileStore(storage());
    const other = createFileStore(storage());
    const put = await mine.putLeased(body(10, 3));
    expect(put.entry).toMatchObject({ id: put.id, body: { itemCount: 3 } });
    expect(await other.claim(1)).toEqual([]);
    await mine.release(put.entry!);
    const [claimed] = await other.claim(1);
    expect(claimed?.id).toBe(put.id);
    await other.release(claimed!);
    // A write-ahead lease of a process that died (kill -9) is reclaimed by the next one.
    const crashed = createFileStore(storage(), { pidAlive: () => true });
    const ahead = await crashed.putLeased(body(10, 4));
    const leaseName = (await fs.promises.readdir(dir)).find((n) => parseLeaseName(n)?.entry.name === ahead.id)!;
    await fs.promises.rename(path.join(dir, leaseName), path.join(dir, formatLeaseName(ahead.id!, Date.now() + 3_600_000, 999_999)));
    const next = createFileStore(storage(), { pidAlive: (pid) => pid !== 999_999 });
    const ids = (await next.claim(5)).map((e) => e.id).sort();
    expect(ids).toEqual([put.id, ahead.id].sort());
  });

  it('claims by renaming to a lease, so a second store (another process) cannot claim the same file', async () => {
    const a = createFileStore(storage());
    const b = createFileStore(storage());
    await a.put(body(10, 1, 1));
    const [mine] = await a.claim(1);
    expect(mine).toBeDefined();
    expect(await b.claim(1)).toEqual([]);
    expect((await fs.promises.readdir(dir))[0]).toMatch(/\.ai\.lease-[0-9a-f]{8}-\d+-[0-9a-f]{8}-\d+$/);
    await a.release(mine!);
    const [theirs] = await b.claim(1);
    expect(theirs?.id).toBe(mine!.id);
    await b.complete(theirs!);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('returns the oldest files first', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage(), { now: () => t });
    for (const fill of [1, 2, 3]) { await store.put(body(5, 1, fill)); t += 10; }
    const claimed = await createFileStore(storage(), { now: () => t }).claim(3);
    expect(claimed.map((e) => e.body.data[0])).toEqual([1, 2, 3]);
  });

  it('reclaims an expired lease and the lease of a dead process on this host', async () => {
    const store = createFileStore(storage());
    const put1 = await store.put(body(5, 1, 1));
    const put2 = await store.put(body(5, 1, 2));
    await fs.promises.rename(path.join(dir, put1.id!), path.join(dir, formatLeaseName(put1.id!, Date.now() - 1, 4242)));
    await fs.promises.rename(path.join(dir, put2.id!), path.join(dir, formatLeaseName(put2.id!, Date.now() + 3_600_000, 999_999)));
    const fresh = createFileStore(storage(), { pidAlive: (pid) => pid !== 999_999 });
    const claimed = await fresh.claim(5);
    expect(claimed.map((e) => e.id).sort()).toEqual([put1.id, put2.id].sort());
    expect(logs.of('info').join('\n')).toMatch(/reclaimed 2 stale leases/);
  });

  it('leaves a live lease of another process alone', async () => {
    const store = createFileStore(storage());
    const put = await store.put(body(5));
    await fs.promises.rename(path.join(dir, put.id!), path.join(dir, formatLeaseName(put.id!, Date.now() + 3_600_000, 1234)));
    expect(await createFileStore(storage(), { pidAlive: () => true }).claim(1)).toEqual([]);
  });

  it('evicts the oldest files when over maxBytes, keeps the newest, and counts the eviction in a warn line', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage({ maxBytes: 250 }), { now: () => t });
    for (const fill of [1, 2, 3]) { await store.put(body(100, 2, fill)); t += 10; }
    const claimed = await createFileStore(storage({ maxBytes: 250 }), { now: () => t }).claim(5);
    expect(claimed.map((e) => e.body.data[0])).toEqual([2, 3]);
    expect(logs.of('warn').some((l) => /evicted 2 items \(1 requests, oldest first\): over 250 bytes/.test(l))).toBe(true);
  });

  it('reports evicted items in the put result', async () => {
    const store = createFileStore(storage({ maxBytes: 150 }));
    await store.put(body(100, 4));
    expect(await store.put(body(100, 1))).toMatchObject({ stored: true, evictedItems: 4 });
  });

  it('drops files older than maxAgeMillis instead of sending them', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage({ maxAgeMillis: 1_000 }), { now: () => t });
    await store.put(body(10, 3));
    t += 1_001;
    expect(await store.claim(1)).toEqual([]);
    expect(await fs.promises.readdir(dir)).toEqual([]);
    expect(logs.of('warn').join('\n')).toMatch(/evicted 3 items .*older than 1000 ms/);
  });

  it('refuses a body larger than maxBytes with a StorageError', async () => {
    const result = await createFileStore(storage({ maxBytes: 10 })).put(body(11, 2));
    expect(result).toMatchObject({ stored: false, error: { code: 'AI_STORAGE' } });
  });

  it.each(['EROFS', 'EACCES', 'EPERM', 'ENOSPC'])('alone, rejects put with a StoreUnusableError naming %s (files only, no fallback inside)', async (code) => {
    jest.spyOn(fs.promises, 'writeFile').mockRejectedValue(Object.assign(new Error(code), { code }));
    const error = await createFileStore(storage()).put(body(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect((error as Error).message).toContain(code);
    expect(logs.of('warn')).toEqual([]);
  });

  it.each(['EROFS', 'EACCES', 'EPERM', 'ENOSPC'])('createOfflineStore falls back to the memory queue with one warning on %s', async (code) => {
    jest.spyOn(fs.promises, 'writeFile').mockRejectedValue(Object.assign(new Error(code), { code }));
    const store = createOfflineStore(storage());
    expect(await store.put(body(10, 1, 1))).toMatchObject({ stored: true });
    expect(await store.put(body(10, 1, 2))).toMatchObject({ stored: true });
    const claimed = await store.claim(5);
    expect(claimed.map((e) => e.body.data[0])).toEqual([1, 2]);
    for (const e of claimed) await store.complete(e);
    const warnings = logs.of('warn').filter((l) => l.includes('not usable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(code);
  });

  it('recreates the directory once if it disappears', async () => {
    const store = createFileStore(storage());
    await store.put(body(5, 1, 1));
    await fs.promises.rm(dir, { recursive: true });
    expect(await store.put(body(5, 1, 2))).toMatchObject({ stored: true });
    expect(await fs.promises.readdir(dir)).toHaveLength(1);
    expect(logs.of('warn')).toEqual([]);
  });

  it('removes an unleased file by id (a body queued at a deadline, then sent after all)', async () => {
    const store = createFileStore(storage());
    const put = await store.put(body(5));
    expect(await store.remove(put.id!)).toBe(true);
    expect(await store.remove(put.id!)).toBe(false);
  });

  it('deletes temp files left by a dead writer and ignores strangers', async () => {
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.writeFile(path.join(dir, '.tmp-999999-000000000000001-aaaaaaaaaaaa-1i-1b-id.ai'), 'x');
    await fs.promises.writeFile(path.join(dir, 'README.txt'), 'not ours');
    const store = createFileStore(storage(), { pidAlive: () => false });
    expect(await store.claim(1)).toEqual([]);
    expect(await fs.promises.readdir(dir)).toEqual(['README.txt']);
  });

  it('a request of exactly maxBytes is kept: the one just written never evicts itself, and a store at exactly the bound evicts nothing', async () => {
    const store = createFileStore(storage({ maxBytes: 100 }));
    const put = await store.put(body(100, 3));
    expect(put).toMatchObject({ stored: true, evictedItems: 0 });
    expect(await fs.promises.readdir(dir)).toEqual([put.id]);
    const two = createFileStore(storage({ maxBytes: 100 }));
    await fs.promises.unlink(path.join(dir, put.id!));
    await two.put(body(50, 1));
    expect(await two.put(body(50, 1))).toMatchObject({ stored: true, evictedItems: 0 });
    expect(await fs.promises.readdir(dir)).toHaveLength(2);
  });

  it('keeps the temp files of live writers (another process mid-write) and of this process', async () => {
    await fs.promises.mkdir(dir, { recursive: true });
    const live = '.tmp-4242-000000000000001-aaaaaaaaaaaa-1i-1b-id.ai';
    const mine = `.tmp-${process.pid}-000000000000001-bbbbbbbbbbbb-1i-1b-id.ai`;
    await fs.promises.writeFile(path.join(dir, live), 'x');
    await fs.promises.writeFile(path.join(dir, mine), 'x');
    const store = createFileStore(storage(), { pidAlive: (pid) => pid === 4242 });
    expect(await store.claim(1)).toEqual([]);
    expect((await fs.promises.readdir(dir)).sort()).toEqual([live, mine].sort());
  });

  it('never reclaims a lease this store holds, even once it has expired', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage(), { now: () => t, leaseMillis: 1_000 });
    await store.put(body(5, 1));
    const [held] = await store.claim(1);
    t += 5_000;
    expect(await store.claim(1)).toEqual([]);
    await store.complete(held!);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('counts entries and leases in stats, and releases a lease back under the entry name', async () => {
    const store = createFileStore(storage());
    await store.put(body(10, 2));
    await store.put(body(20, 3));
    const [leased] = await store.claim(1);
    expect(await store.stats()).toEqual({ requests: 2, items: 5, bytes: 30 });
    await store.release(leased!);
    expect((await fs.promises.readdir(dir)).sort()).toContain(leased!.id);
    expect(await createFileStore(storage({ directory: path.join(dir, 'missing') })).stats()).toEqual({ requests: 0, items: 0, bytes: 0 });
  });

  it('complete and release of an entry it does not hold do nothing', async () => {
    const store = createFileStore(storage());
    const put = await store.put(body(10, 2));
    const stranger = { id: put.id!, body: body(10, 2), createdTimestamp: 0 };
    await store.complete(stranger);
    await store.release(stranger);
    expect(await fs.promises.readdir(dir)).toEqual([put.id]);
  });

  it('refuses a body over the entry bound before writing anything', async () => {
    const result = await createFileStore(storage(), { maxEntryBytes: 8 }).put(body(9, 2));
    expect(result).toMatchObject({ stored: false, evictedItems: 0, error: { code: 'AI_STORAGE' } });
    expect(result.error?.message).toContain('exceeds the bound of 8 bytes; 2 items dropped');
    await expect(fs.promises.readdir(dir)).rejects.toThrow();
  });

  it('rejects claim with a StoreUnusableError when the directory cannot be listed', async () => {
    await fs.promises.mkdir(path.dirname(dir), { recursive: true });
    await fs.promises.writeFile(dir, 'not a directory');
    const error = await createFileStore(storage()).claim(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect((error as Error).message).toMatch(/ENOTDIR on list/);
  });

  it('writes a lease straight away for putLeased, named for this process, and deletes it on complete', async () => {
    const store = createFileStore(storage());
    const put = await store.putLeased(body(10, 2));
    const [name] = await fs.promises.readdir(dir);
    expect(parseLeaseName(name!)).toMatchObject({ pid: process.pid, entry: { name: put.id } });
    expect(put.entry).toMatchObject({ id: put.id, createdTimestamp: parseEntryName(put.id!)!.createdTimestamp });
    await store.complete(put.entry!);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('a failed rename leaves no temp file behind and rejects with a StoreUnusableError', async () => {
    const store = createFileStore(storage());
    jest.spyOn(fs.promises, 'rename').mockRejectedValueOnce(Object.assign(new Error('cross-device'), { code: 'EXDEV' }));
    const error = await store.put(body(10)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect((error as Error).message).toMatch(/EXDEV on write/);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('an entry it cannot lstat or lease (not ENOENT) is skipped for the process, never retried in a loop, and never degrades the store', async () => {
    const writer = createFileStore(storage());
    const bad = await writer.put(body(10, 1, 1));
    const good = await writer.put(body(10, 1, 2));
    const store = createFileStore(storage());
    const realLstat = fs.promises.lstat.bind(fs.promises);
    const lstat = jest.spyOn(fs.promises, 'lstat').mockImplementation(async (p, o) => {
      if (path.basename(String(p)) === bad.id) throw Object.assign(new Error('denied'), { code: 'EACCES' });
      return realLstat(p, o as never) as never;
    });
    expect((await store.claim(5)).map((e) => e.id)).toEqual([good.id]);
    expect(await store.claim(5)).toEqual([]);
    expect(lstat.mock.calls.filter(([p]) => path.basename(String(p)) === bad.id)).toHaveLength(1);
    expect(await store.put(body(5))).toMatchObject({ stored: true });
  });

  it('an entry another process claimed first (ENOENT) is not skipped: it is claimed once released', async () => {
    const writer = createFileStore(storage());
    const put = await writer.put(body(10, 1));
    const store = createFileStore(storage());
    const realRename = fs.promises.rename.bind(fs.promises);
    jest.spyOn(fs.promises, 'rename').mockImplementationOnce(async () => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); })
      .mockImplementation(realRename);
    expect(await store.claim(1)).toEqual([]);
    expect((await store.claim(1)).map((e) => e.id)).toEqual([put.id]);
  });

  it('an entry it cannot rename for another reason is skipped, not retried', async () => {
    const writer = createFileStore(storage());
    await writer.put(body(10, 1));
    const store = createFileStore(storage());
    const rename = jest.spyOn(fs.promises, 'rename').mockRejectedValue(Object.assign(new Error('busy'), { code: 'EBUSY' }));
    expect(await store.claim(1)).toEqual([]);
    expect(await store.claim(1)).toEqual([]);
    expect(rename).toHaveBeenCalledTimes(1);
    expect(logs.of('debug').join('\n')).toMatch(/offline store: could not claim \S+-1i-10b-id\.ai: EBUSY/);
  });

  it('a claim lists the directory at most once: an expired entry it cannot delete is looked at once per claim, not in a loop', async () => {
    let t = 1_000_000;
    const writer = createFileStore(storage({ maxAgeMillis: 1_000 }), { now: () => t });
    const expired = await writer.put(body(10, 2));
    t += 1_001;
    const store = createFileStore(storage({ maxAgeMillis: 1_000 }), { now: () => t });
    const unlink = jest.spyOn(fs.promises, 'unlink').mockRejectedValue(Object.assign(new Error('denied'), { code: 'EACCES' }));
    const readdir = jest.spyOn(fs.promises, 'readdir');
    expect(await store.claim(5)).toEqual([]);
    expect(readdir).toHaveBeenCalledTimes(1);
    expect(unlink.mock.calls.map(([p]) => path.basename(String(p)))).toEqual([expired.id]);
    expect(await store.claim(5)).toEqual([]); // not skipped: the next claim tries to delete it again
    expect(unlink).toHaveBeenCalledTimes(2);
  });

  it('warns about a bad entry through the delivery logger, rate-limited per cause on the store\'s clock', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage(), { now: () => t });
    await fs.promises.mkdir(dir, { recursive: true });
    const plantTruncated = (created: number): Promise<void> => fs.promises.writeFile(path.join(dir, formatEntryName(created, 1, 10, false)), 'abc', { mode: 0o600 });
    await plantTruncated(t - 10);
    expect(await store.claim(5)).toEqual([]);
    t += 10 * 60_000; // the warnings' rate-limit interval, on the store's clock only
    await plantTruncated(t - 10);
    expect(await store.claim(5)).toEqual([]);
    const warned = logs.of('warn').filter((l) => l.includes('is not a queued request'));
    expect(warned).toHaveLength(2);
    for (const line of warned) expect(line.startsWith('@appinsights-otel/core/delivery ')).toBe(true);
  });

  it('a put is kept even when the bounds cannot be enforced (the listing fails after the write)', async () => {
    const store = createFileStore(storage({ maxBytes: 10 }));
    await store.put(body(10, 1));
    const realReaddir = fs.promises.readdir.bind(fs.promises);
    jest.spyOn(fs.promises, 'readdir').mockRejectedValueOnce(Object.assign(new Error('io'), { code: 'EIO' })).mockImplementation(realReaddir as never);
    expect(await store.put(body(10, 1))).toMatchObject({ stored: true, evictedItems: 0 });
    expect(logs.of('debug').join('\n')).toContain('offline store: could not enforce bounds: EIO');
  });

  it('sets aside an entry that changes between lstat and read, and keeps the good ones', async () => {
    const writer = createFileStore(storage());
    const put = await writer.put(body(10, 1));
    const store = createFileStore(storage());
    const realOpen = fs.promises.open.bind(fs.promises);
    jest.spyOn(fs.promises, 'open').mockImplementationOnce(async (file, flags) => {
      await fs.promises.truncate(String(file), 4); // shrinks after the lstat
      return realOpen(file, flags);
    });
    expect(await store.claim(1)).toEqual([]);
    expect(await fs.promises.readdir(dir)).toEqual([]); // removed, with a warning
    expect(logs.of('warn').join('\n')).toContain(`${put.id}`);
  });
  // Found missing by mutation testing (Stryker survivors of file-store.ts).

  it('is a file store, and a directory it cannot recreate rejects the write with a StoreUnusableError naming the cause', async () => {
    const store = createFileStore(storage());
    expect(store.kind).toBe('file');
    await store.put(body(5));
    await fs.promises.rm(path.dirname(dir), { recursive: true });
    await fs.promises.writeFile(path.dirname(dir), 'a file where the parent directory was');
    const error = await store.put(body(5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect((error as Error).message).toBe(`offline storage ${dir} is not usable (ENOTDIR on write)`);
    expect((error as Error).cause).toMatchObject({ code: 'ENOTDIR' });
    await fs.promises.rm(path.dirname(dir));
  });

  it('a write that fails again after recreating the directory rejects with a StoreUnusableError, never a put without a file', async () => {
    const store = createFileStore(storage());
    const enoent = Object.assign(new Error('gone'), { code: 'ENOENT' });
    const writeFile = jest.spyOn(fs.promises, 'writeFile').mockRejectedValueOnce(enoent).mockRejectedValueOnce(enoent);
    const error = await store.put(body(5)).catch((e: unknown) => e);
    expect(writeFile).toHaveBeenCalledTimes(2); // once, then once more after recreating the directory
    expect(error).toBeInstanceOf(StoreUnusableError);
    expect((error as Error).message).toBe(`offline storage ${dir} is not usable (ENOENT on write)`);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });

  it('never writes through a link planted at its temp file name (exclusive create)', async () => {
    const victim = path.join(path.dirname(dir), 'victim');
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.writeFile(victim, 'untouched');
    const realWriteFile = fs.promises.writeFile.bind(fs.promises);
    jest.spyOn(fs.promises, 'writeFile').mockImplementationOnce(async (file, data, options) => {
      await fs.promises.symlink(victim, String(file)); // another user wins the race for the temp name
      return realWriteFile(file, data, options);
    });
    await expect(createFileStore(storage()).put(body(10, 1))).rejects.toThrow(/EEXIST on write/);
    expect(await fs.promises.readFile(victim, 'utf8')).toBe('untouched');
  });

  it('bounds enforcement after a put never reclaims leases (only a claim does)', async () => {
    const writer = createFileStore(storage());
    const put = await writer.put(body(5, 1));
    const stale = formatLeaseName(put.id!, Date.now() - 1, 4242);
    await fs.promises.rename(path.join(dir, put.id!), path.join(dir, stale));
    const store = createFileStore(storage(), { pidAlive: () => false });
    const second = await store.put(body(5, 1));
    expect((await fs.promises.readdir(dir)).sort()).toEqual([second.id, stale].sort());
  });

  it('an entry gone between lstat and rename or open (another process took it) is not skipped: it is claimed once released', async () => {
    const writer = createFileStore(storage());
    const put = await writer.put(body(10, 1));
    const store = createFileStore(storage());
    jest.spyOn(fs.promises, 'lstat').mockRejectedValueOnce(Object.assign(new Error('gone'), { code: 'ENOENT' }));
    expect(await store.claim(1)).toEqual([]);
    jest.spyOn(fs.promises, 'open').mockRejectedValueOnce(Object.assign(new Error('gone'), { code: 'ENOENT' }));
    expect(await store.claim(1)).toEqual([]);
    // The other process released it: back under its entry name, claimed by us now.
    const [lease] = await fs.promises.readdir(dir);
    await fs.promises.rename(path.join(dir, lease!), path.join(dir, put.id!));
    const [claimed] = await store.claim(1);
    expect(claimed?.id).toBe(put.id);
    expect(Buffer.from(claimed!.body.data)).toEqual(Buffer.from(body(10, 1).data));
  });

  it('a bad entry it can neither remove nor move aside is skipped for the process, looked at once', async () => {
    await fs.promises.mkdir(dir, { recursive: true });
    const bad = `${String(Date.now()).padStart(15, '0')}-aaaaaaaaaaaa-1i-10b-id.ai`;
    await fs.promises.writeFile(path.join(dir, bad), 'short', { mode: 0o600 }); // 5 bytes, not 10
    const good = await createFileStore(storage()).put(body(10, 1));
    const stuck = Object.assign(new Error('read-only file system'), { code: 'EROFS' });
    const realRename = fs.promises.rename.bind(fs.promises);
    const realUnlink = fs.promises.unlink.bind(fs.promises);
    jest.spyOn(fs.promises, 'rename').mockImplementation(async (from, to) => { if (String(from).includes(bad)) throw stuck; return realRename(from, to); });
    jest.spyOn(fs.promises, 'unlink').mockImplementation(async (p) => { if (String(p).includes(bad)) throw stuck; return realUnlink(p); });
    const lstat = jest.spyOn(fs.promises, 'lstat');
    const store = createFileStore(storage());
    expect((await store.claim(5)).map((e) => e.id)).toEqual([good.id]);
    expect(await store.claim(5)).toEqual([]);
    expect(lstat.mock.calls.filter(([p]) => String(p).includes(bad))).toHaveLength(1);
    expect(logs.of('warn').join('\n')).toMatch(/could not be (removed|moved aside) \(EROFS\)/);
  });

  it('complete and release say in a debug line when the lease file is gone; an entry it does not hold logs nothing', async () => {
    const store = createFileStore(storage());
    await store.put(body(10, 1));
    await store.put(body(10, 1));
    const [a, b] = await store.claim(2);
    await store.complete({ id: 'not-held', body: body(1), createdTimestamp: 0 });
    await store.release({ id: 'not-held', body: body(1), createdTimestamp: 0 });
    expect(logs.of('debug').filter((line) => line.includes('offline store'))).toEqual([]);
    for (const name of await fs.promises.readdir(dir)) await fs.promises.unlink(path.join(dir, name));
    await store.complete(a!);
    await store.release(b!);
    expect(logs.of('debug')).toEqual(expect.arrayContaining([
      `offline store: could not delete ${a!.id}: ENOENT`,
      `offline store: could not release ${b!.id}: ENOENT`,
    ].map((line) => expect.stringContaining(line))));
  });

  it('close reports evictions still held back by the rate limit, naming the store', async () => {
    let t = 1_000_000;
    const store = createFileStore(storage({ maxBytes: 10 }), { now: () => t });
    await store.put(body(10, 1));
    await store.put(body(10, 2)); // evicts 1 item: logged at once
    t += 1;
    await store.put(body(10, 3)); // evicts 2 items: held back (rate limit)
    expect(logs.of('warn')).toHaveLength(1);
    await store.close();
    expect(logs.of('warn')).toHaveLength(2);
    expect(logs.of('warn')[1]).toContain(`offline store ${dir}: evicted 2 items`);
  });

  it('names its memory queues in eviction lines: the fallback after the directory fails, or the queue when storage is disabled', async () => {
    await fs.promises.mkdir(path.dirname(dir), { recursive: true });
    await fs.promises.writeFile(dir, 'not a directory');
    const fallback = createOfflineStore(storage(), { memoryFallback: { maxBytes: 10 } });
    await fallback.put(body(10, 1));
    await fallback.put(body(10, 1));
    expect(logs.of('warn').join('\n')).toContain(' memory fallback queue: evicted 1 items');
    const disabled = createOfflineStore(storage({ disabled: true }), { memoryFallback: { maxBytes: 10 } });
    expect(disabled.kind).toBe('memory');
    await disabled.put(body(10, 1));
    await disabled.put(body(10, 1));
    expect(logs.of('warn').join('\n')).toContain(' memory queue: evicted 1 items');
  });
});
