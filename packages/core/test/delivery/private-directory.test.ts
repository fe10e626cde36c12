import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFileStore, createOfflineStore } from '../../src/delivery/file-store';
import { formatEntryName } from '../../src/delivery/file-names';
import { UnsafeDirectoryError, verifyPrivateDirectory } from '../../src/delivery/verify-private-directory';
import type { StorageConfig } from '../../src/config/resolved-config';
import type { RequestBody } from '../../src/transport/transport-types';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const body = (itemCount = 1): RequestBody => ({ data: new Uint8Array(8).fill(7), gzip: false, itemCount });
const modeOf = async (p: string): Promise<number> => (await fs.promises.stat(p)).mode & 0o777;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const posix = process.platform !== 'win32';

// Issue 11, item 6: the default directory `<tmp>/appinsights-otel/<hash>` is predictable and lies
// under a shared directory. It is created 0700 and refused unless private to this user.
(posix ? describe : describe.skip)('the default (private) offline-storage directory', () => {
  let root: string;
  let parent: string;
  let dir: string;
  let logs: LogCapture;
  const storage = (): StorageConfig => ({ disabled: false, directory: dir, requirePrivate: true, maxBytes: 1 << 20, maxAgeMillis: 3_600_000 });

  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-private-'));
    parent = path.join(root, 'appinsights-otel');
    dir = path.join(parent, 'abc123');
    logs = captureDiag();
  });
  afterEach(async () => {
    logs.restore();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it('creates the directory and the parent it creates with mode 0700', async () => {
    const store = createFileStore(storage());
    expect(await store.put(body())).toMatchObject({ stored: true });
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(parent)).toBe(0o700);
    expect((await fs.promises.readdir(dir)).filter((n) => n.endsWith('.ai'))).toHaveLength(1);
    expect(logs.of('warn')).toEqual([]);
  });

  const unsafeCases: [string, (p: string) => Promise<void>, boolean][] = [
    ['the directory is world-writable (chmod 0777)', async () => { await fs.promises.chmod(dir, 0o777); }, true],
    ['the directory is group-writable (chmod 0770)', async () => { await fs.promises.chmod(dir, 0o770); }, true],
    ['the parent is world-writable (chmod 0777)', async () => { await fs.promises.chmod(parent, 0o777); }, true],
    ['the directory belongs to another user (chown)', async () => { await fs.promises.chown(dir, 4242, 4242); }, isRoot],
    ['the parent belongs to another user (chown)', async () => { await fs.promises.chown(parent, 4242, 4242); }, isRoot],
  ];

  it.each(unsafeCases.filter(([, , feasible]) => feasible))('%s: refuses it, warns once with the path and the fix, never sends a planted file, queues in memory', async (_label, tamper) => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(parent, 0o700);
    // Another local user plants a request (it would be sent with our token).
    const planted = formatEntryName(Date.now(), 1, 8, false);
    await fs.promises.writeFile(path.join(dir, planted), Buffer.alloc(8, 1));
    await tamper(dir);

    const store = createOfflineStore(storage());
    expect(await store.claim(5)).toEqual([]); // the startup drain finds nothing to send
    const put = await store.put(body(3));
    expect(put).toMatchObject({ stored: true });
    const [queued] = await store.claim(5);
    expect(queued?.body.itemCount).toBe(3); // from memory, not the planted file
    await store.put(body(2));
    expect(await fs.promises.readdir(dir)).toEqual([planted]); // nothing written there

    const warnings = logs.of('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('is not private');
    expect(warnings[0]).toMatch(/appinsights-otel/);
    expect(warnings[0]).toMatch(/storageDirectory/);
    expect(warnings[0]).toMatch(/memory queue/);
  });

  it('refuses a default directory that is a symbolic link (to a private directory of this user)', async () => {
    const real = path.join(root, 'real');
    await fs.promises.mkdir(real, { mode: 0o700 });
    await fs.promises.mkdir(parent, { mode: 0o700 });
    await fs.promises.symlink(real, dir);
    const error = await verifyPrivateDirectory(dir, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDirectoryError);
    expect((error as Error).message).toContain('it is a symbolic link');
    const store = createOfflineStore(storage());
    expect(await store.put(body(1))).toMatchObject({ stored: true });
    expect(await fs.promises.readdir(real)).toEqual([]);
  });

  it('refuses a default directory that is a file', async () => {
    await fs.promises.mkdir(parent, { mode: 0o700 });
    await fs.promises.writeFile(dir, 'x');
    await expect(verifyPrivateDirectory(dir, false)).rejects.toThrow('it is not a directory');
  });

  it('without create, a missing directory is fine (nothing to read yet)', async () => {
    expect(await verifyPrivateDirectory(dir, false)).toBe(false);
    expect(fs.existsSync(parent)).toBe(false);
  });

  it('verifyPrivateDirectory throws a typed error naming the path', async () => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(dir, 0o777);
    const error = await verifyPrivateDirectory(dir, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDirectoryError);
    expect((error as UnsafeDirectoryError).code).toBe('AI_STORAGE');
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('mode 0777');
  });

  it('a directory the user chose (requirePrivate unset) is used as given', async () => {
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.chmod(dir, 0o775);
    const store = createFileStore({ ...storage(), requirePrivate: false });
    expect(await store.put(body())).toMatchObject({ stored: true });
    expect((await fs.promises.readdir(dir)).filter((n) => n.endsWith('.ai'))).toHaveLength(1);
    expect(logs.of('warn')).toEqual([]);
  });
});

(posix ? describe : describe.skip)('verifyPrivateDirectory: each check, on a real directory', () => {
  let root: string;
  let parent: string;
  let dir: string;
  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-verify-'));
    parent = path.join(root, 'appinsights-otel');
    dir = path.join(parent, 'abc123');
  });
  afterEach(async () => { await fs.promises.rm(root, { recursive: true, force: true }); });

  it('creates both with mode 0700 and resolves true; again true when they exist', async () => {
    expect(await verifyPrivateDirectory(dir, true)).toBe(true);
    expect([await modeOf(parent), await modeOf(dir)]).toEqual([0o700, 0o700]);
    expect(await verifyPrivateDirectory(dir, true)).toBe(true);
    expect(await verifyPrivateDirectory(dir, false)).toBe(true);
  });

  it('without create, a missing directory under an existing parent is fine too, and nothing is created', async () => {
    await fs.promises.mkdir(parent, { mode: 0o700 });
    expect(await verifyPrivateDirectory(dir, false)).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('an lstat that fails otherwise than "missing" is thrown, with or without create', async () => {
    await fs.promises.writeFile(path.join(root, 'file'), 'x');
    const under = path.join(root, 'file', 'appinsights-otel', 'abc123');
    await expect(verifyPrivateDirectory(under, false)).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(verifyPrivateDirectory(under, true)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  const reasons: [string, () => Promise<void>, string, boolean][] = [
    ['the directory group-writable only', async () => { await fs.promises.chmod(dir, 0o720); }, 'it is writable by group or others (mode 0720)', true],
    ['the directory others-writable only', async () => { await fs.promises.chmod(dir, 0o702); }, 'it is writable by group or others (mode 0702)', true],
    ['the parent a symbolic link', async () => {
      await fs.promises.rename(parent, path.join(root, 'real'));
      await fs.promises.symlink(path.join(root, 'real'), parent);
    }, 'it is a symbolic link', true],
    ['the directory owned by another user', async () => { await fs.promises.chown(dir, 4242, 4242); }, "it is owned by uid 4242, not by this process's uid 0", isRoot],
  ];
  it.each(reasons.filter(([, , , feasible]) => feasible))('%s: refused with the reason, the path and the fix', async (_label, tamper, reason) => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(parent, 0o700);
    await tamper();
    const error = await verifyPrivateDirectory(dir, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDirectoryError);
    expect((error as Error).name).toBe('UnsafeDirectoryError');
    expect((error as Error).message).toContain(`is not private: ${reason}. Files another local user puts there`);
    expect((error as Error).message).toContain('set the storageDirectory option to a directory only this user can write');
  });

  it('requires the given owner: a directory of this user is refused for another uid (no root needed)', async () => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const mine = (await fs.promises.lstat(parent)).uid;
    const error = await verifyPrivateDirectory(dir, false, mine + 4242).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeDirectoryError);
    expect((error as Error).message).toContain(`${parent} is not private: it is owned by uid ${mine}, not by this process's uid ${mine + 4242}`);
    expect(await verifyPrivateDirectory(dir, false, mine)).toBe(true);
  });

  it('without uids (Windows, uid null) only creates: no owner or mode check', async () => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(dir, 0o777);
    expect(await verifyPrivateDirectory(dir, true, null)).toBe(true);
    await fs.promises.rm(parent, { recursive: true });
    expect(await verifyPrivateDirectory(dir, true, null)).toBe(true);
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('a directory that cannot be created is thrown with the cause of the mkdir, not a later "missing"', async () => {
    const realMkdir = fs.promises.mkdir.bind(fs.promises);
    const mkdir = jest.spyOn(fs.promises, 'mkdir').mockImplementation(async (p, options) => {
      if (p === dir) throw Object.assign(new Error(`EACCES: permission denied, mkdir '${dir}'`), { code: 'EACCES' });
      return realMkdir(p, options);
    });
    try {
      await expect(verifyPrivateDirectory(dir, true)).rejects.toMatchObject({ code: 'EACCES' });
    } finally {
      mkdir.mockRestore();
    }
  });

  it('a private directory of mode 0755 (no write for others) is accepted', async () => {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(dir, 0o755);
    await fs.promises.chmod(parent, 0o750);
    expect(await verifyPrivateDirectory(dir, false)).toBe(true);
  });
});
