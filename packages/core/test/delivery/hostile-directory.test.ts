import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDelivery } from '../../src/delivery/delivery';
import { createFileStore, createOfflineStore } from '../../src/delivery/file-store';
import { formatEntryName, parseEntryName } from '../../src/delivery/file-names';
import { formatLeaseName, parseLeaseName } from '../../src/delivery/lease';
import type { StorageConfig } from '../../src/config/resolved-config';
import { createDiagnostics } from '../../src/diag/diagnostics';
import { createHttpTransport } from '../../src/transport/http-transport';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { recordingLogger } from '../transport/helpers/capture-diag';
import { startServer, trackResponse, type LoopbackServer } from '../transport/helpers/loopback-server';
import { waitFor } from './helpers/fake-transport';
import { captureDiag, type LogCapture } from './helpers/log-capture';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const SECRET = 'SECRET-NOT-TELEMETRY';
const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
const canMkfifo = process.platform !== 'win32';

/** A hostile entry: planted under `name` (made from the size its name declares) before the store starts. */
interface HostileCase {
  readonly label: string;
  /** Bytes the planted name declares. */
  readonly declaredBytes: number;
  readonly plant: (file: string, outside: string) => Promise<void>;
  /** Plant under a stale lease name of a dead process instead of an entry name. */
  readonly asLease?: boolean;
}

const writePrivate = (file: string, data: string | Buffer, mode = 0o600): Promise<void> =>
  fs.promises.writeFile(file, data, { mode }).then(() => fs.promises.chmod(file, mode));
const sparse = async (file: string, bytes: number): Promise<void> => {
  await writePrivate(file, '');
  await fs.promises.truncate(file, bytes);
};
const secretBody = (bytes: number): string => `${JSON.stringify({ secret: SECRET })}\n`.padEnd(bytes, ' ');

const CASES: HostileCase[] = [
  { label: 'a symbolic link to a device (/dev/zero)', declaredBytes: 10, plant: (f) => fs.promises.symlink('/dev/zero', f) },
  {
    label: 'a symbolic link to a file whose size matches the name', declaredBytes: 64,
    plant: async (f, outside) => { await writePrivate(path.join(outside, 'secret.txt'), secretBody(64)); await fs.promises.symlink(path.join(outside, 'secret.txt'), f); },
  },
  { label: 'a dangling symbolic link', declaredBytes: 10, plant: (f, outside) => fs.promises.symlink(path.join(outside, 'missing'), f) },
  {
    label: 'a dangling symbolic link under a dead process\'s lease name', declaredBytes: 10, asLease: true,
    plant: (f, outside) => fs.promises.symlink(path.join(outside, 'missing'), f),
  },
  {
    label: 'a symbolic link to a secret under a dead process\'s lease name', declaredBytes: 64, asLease: true,
    plant: async (f, outside) => { await writePrivate(path.join(outside, 'secret.txt'), secretBody(64)); await fs.promises.symlink(path.join(outside, 'secret.txt'), f); },
  },
  ...(canMkfifo ? [{ label: 'a FIFO', declaredBytes: 10, plant: async (f: string) => { execFileSync('mkfifo', ['-m', '600', f]); } }] : []),
  {
    label: 'a directory', declaredBytes: 10,
    plant: async (f) => { await fs.promises.mkdir(f, { mode: 0o700 }); await writePrivate(path.join(f, 'inside.txt'), SECRET); },
  },
  { label: 'a truncated file (the name says 100 bytes, 40 are there)', declaredBytes: 100, plant: (f) => writePrivate(f, Buffer.alloc(40, 0x20)) },
  { label: 'an oversized sparse file of 600 MiB whose name matches its size', declaredBytes: 600 * MiB, plant: (f) => sparse(f, 600 * MiB) },
  { label: 'an oversized sparse file of 300 MiB whose name says 10 bytes', declaredBytes: 10, plant: (f) => sparse(f, 300 * MiB) },
  { label: 'a file readable by group and others (mode 0644)', declaredBytes: 64, plant: (f) => writePrivate(f, secretBody(64), 0o644) },
  { label: 'a file nobody may read (mode 0000)', declaredBytes: 64, plant: (f) => writePrivate(f, secretBody(64), 0o000) },
  ...(isRoot ? [{ label: 'a file owned by another user', declaredBytes: 64, plant: async (f: string) => { await writePrivate(f, secretBody(64)); await fs.promises.chown(f, 4242, 4242); } }] : []),
];

interface ReadCounter {
  /** Files opened through `fs.promises.open`, and bytes read through those handles. */
  readonly opened: string[];
  bytesRead: number;
}

/** Count every open and every byte read through `fs.promises` (readFile included: it must not be used). */
function countReads(): ReadCounter {
  const counter: ReadCounter = { opened: [], bytesRead: 0 };
  const realOpen = fs.promises.open.bind(fs.promises);
  jest.spyOn(fs.promises, 'open').mockImplementation(async (file, flags, mode) => {
    counter.opened.push(path.basename(String(file)));
    const handle = await realOpen(file, flags, mode);
    const realRead = handle.read.bind(handle) as (...args: unknown[]) => Promise<fs.promises.FileReadResult<NodeJS.ArrayBufferView>>;
    (handle as { read: unknown }).read = async (...args: unknown[]) => {
      const result = await realRead(...args);
      counter.bytesRead += result.bytesRead;
      return result;
    };
    return handle;
  });
  jest.spyOn(fs.promises, 'readFile').mockRejectedValue(new Error('the store must never readFile an entry (unbounded read)'));
  return counter;
}

describe('a hostile offline-store directory', () => {
  let root: string;
  let dir: string;
  let outside: string;
  let server: LoopbackServer;
  let logs: LogCapture;
  const storage = (): StorageConfig => ({ disabled: false, directory: dir, maxBytes: 50 * 1024 * 1024, maxAgeMillis: 48 * 3_600_000 });

  beforeEach(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-hostile-'));
    dir = path.join(root, 'store');
    outside = path.join(root, 'outside');
    await fs.promises.mkdir(dir, { mode: 0o700 });
    await fs.promises.mkdir(outside, { mode: 0o700 });
    server = await startServer((_req, res, recorded) => {
      const n = (recorded.text ?? '').split('\n').filter(Boolean).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(trackResponse(n, n));
    });
    logs = captureDiag();
  });
  afterEach(async () => {
    logs.restore();
    jest.restoreAllMocks();
    await server.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s: never read past the bound, nothing foreign sent, good entries delivered, the store stays on disk', async (_label, hostile) => {
    // Two good entries, written by the store itself; the hostile one is older, so it comes first.
    const writer = createFileStore(storage());
    const good = [await encodeEnvelopes([{ id: 1 }, { id: 2 }], false), await encodeEnvelopes([{ id: 3 }], false)];
    for (const body of good) await writer.put(body);
    const planted = formatEntryName(Date.now() - 60_000, 1, hostile.declaredBytes, false);
    const plantedName = hostile.asLease ? formatLeaseName(planted, Date.now() + 3_600_000, 999_999) : planted;
    await hostile.plant(path.join(dir, plantedName), outside);

    const reads = countReads();
    const store = createOfflineStore(storage(), { pidAlive: (pid) => pid !== 999_999 });
    const transport = createHttpTransport({
      endpoint: server.origin, instrumentationKey: IKEY, signalName: 'traces', diagnostics: createDiagnostics({ logger: recordingLogger() }),
    });
    const delivery = createDelivery({ transport, store, sendTimeoutMillis: 5_000 });
    delivery.start();
    await waitFor(() => server.requests.length >= 2, 20_000);
    await delivery.flush(Date.now() + 2_000);
    await delivery.close(); // resolves: nothing blocks shutdown
    await transport.shutdown();

    // Exactly the good bodies were sent, byte for byte; nothing foreign.
    expect(server.requests.map((r) => r.body.toString('utf8')).sort()).toEqual(good.map((b) => Buffer.from(b.data).toString('utf8')).sort());
    expect(server.requests.some((r) => r.body.includes(SECRET))).toBe(false);
    // Only the good entries were ever opened, and no byte beyond them was read.
    expect(reads.opened.every((name) => parseLeaseName(name) !== undefined && parseLeaseName(name)?.entry.name !== planted)).toBe(true);
    expect(reads.bytesRead).toBeLessThanOrEqual(good.reduce((n, b) => n + b.data.byteLength, 0));
    // The bad entry left the queue (removed or moved aside) with one warning; the store is still the file store.
    const left = await fs.promises.readdir(dir);
    expect(left.filter((n) => parseEntryName(n) || parseLeaseName(n))).toEqual([]);
    const warnings = logs.of('warn');
    expect(warnings.filter((w) => w.includes('not a queued request'))).toHaveLength(1);
    expect(warnings.join('\n')).not.toMatch(/memory queue/);
    const after = await store.put(await encodeEnvelopes([{ id: 9 }], false));
    expect(after).toMatchObject({ stored: true });
    expect(await fs.promises.readdir(dir)).toContain(after.id);
  });

  it('a second store meeting the same entries never reclaims or warns about them again', async () => {
    await fs.promises.symlink('/dev/zero', path.join(dir, formatEntryName(Date.now(), 1, 10, false)));
    const first = createOfflineStore(storage());
    expect(await first.claim(5)).toEqual([]);
    expect(await createOfflineStore(storage()).claim(5)).toEqual([]);
    expect(logs.of('warn').filter((w) => w.includes('not a queued request'))).toHaveLength(1);
    expect(await fs.promises.readdir(dir)).toEqual([]);
  });
});
