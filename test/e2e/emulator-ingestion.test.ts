// Ingestion endpoint: body formats, per-item validation, limits, garbage, storage mapping, chaos.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import { envelope, postItems, requestEnvelope, send } from '../../packages/emulator/test/helpers/envelopes';

describe('emulator ingestion', () => {
  let emu: EmulatorHandle;
  let token: string;
  let ikey: string;
  let track: string;

  beforeAll(async () => {
    emu = await startEmulator({ maxBodyBytes: 1024 * 1024 });
    token = emu.issueToken({ identity: 'ci-principal' });
    ikey = emu.resource().instrumentationKey;
    track = `${emu.ingestionUrl}/v2.1/track`;
  });
  afterAll(() => emu.close());
  afterEach(() => emu.chaos.clear());

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it.each([
    ['a JSON array', { gzip: false }],
    ['a gzip JSON array', { gzip: true }],
    ['newline-delimited JSON', { ndjson: true }],
    ['gzip newline-delimited JSON', { ndjson: true, gzip: true }],
  ])('accepts %s with 200', async (_name, options) => {
    const res = await postItems(track, [requestEnvelope(ikey), requestEnvelope(ikey)], { token, ...options });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ itemsReceived: 2, itemsAccepted: 2, errors: [] });
  });

  it.each([['//v2.1/track'], ['/v2.1/track/'], ['//v2/track']])('tolerates the path %s', async (p) => {
    const res = await postItems(`${emu.ingestionUrl}${p}`, [requestEnvelope(ikey)], { token });
    expect(res.status).toBe(p.includes('2.1') ? 200 : 400);
  });

  it('answers 206 naming the invalid items, and stores the valid ones', async () => {
    const before = emu.countItems('requests');
    const big = requestEnvelope(ikey, { properties: { blob: 'x'.repeat(70 * 1024) } });
    const items = [requestEnvelope(ikey), { ...requestEnvelope(ikey), time: undefined }, big, requestEnvelope('99999999-9999-4999-8999-999999999999'), 'not an object'];
    const res = await postItems(track, items, { token });
    expect(res.status).toBe(206);
    const body = res.json<{ itemsReceived: number; itemsAccepted: number; errors: { index: number; statusCode: number; message: string }[] }>();
    expect(body).toMatchObject({ itemsReceived: 5, itemsAccepted: 1 });
    expect(body.errors.map((e) => [e.index, e.statusCode])).toEqual([[1, 400], [2, 400], [3, 400], [4, 400]]);
    expect(body.errors[1]?.message).toContain('limit');
    expect(body.errors[2]?.message).toContain('instrumentation key');
    expect(emu.countItems('requests')).toBe(before + 1);
  });

  it('answers 400 with the per-item errors when nothing is accepted', async () => {
    const res = await postItems(track, [{ name: 'x' }], { token });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ itemsReceived: 1, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400 }] });
  });

  it.each([
    ['bad JSON', { body: '[{"name":', headers: {} }],
    ['an empty body', { body: '', headers: {} }],
    ['bad gzip', { body: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4]), headers: { 'content-encoding': 'gzip' } }],
    ['plain text labelled gzip', { body: '[]', headers: { 'content-encoding': 'gzip' } }],
    ['an unknown content encoding', { body: '[]', headers: { 'content-encoding': 'br' } }],
    ['a JSON object that is not an array', { body: '{"a":', headers: {} }],
  ])('answers 400 for %s and keeps serving', async (_name, { body, headers }) => {
    const res = await send(track, { body, headers: { ...auth(), ...headers } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ itemsAccepted: 0, errors: [{ statusCode: 400 }] });
    expect((await postItems(track, [requestEnvelope(ikey)], { token })).status).toBe(200);
  });

  it('answers 413 for a declared body over the cap without reading it', async () => {
    const res = await send(track, { body: Buffer.alloc(2 * 1024 * 1024, 0x20), headers: auth() });
    expect(res.status).toBe(413);
  });

  it('answers 413 for a chunked body that grows over the cap', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(track, { method: 'POST', headers: { ...auth(), 'transfer-encoding': 'chunked' } }, (r) => { r.resume(); resolve(r.statusCode ?? 0); });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 40) { sent++; if (!req.write(chunk)) { req.once('drain', pump); return; } }
        req.end();
      };
      pump();
    });
    expect(res).toBe(413);
  });

  it('answers 413 for a gzip body that inflates over the cap (zip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await send(track, { body: bomb, headers: { ...auth(), 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
  });

  it('never crashes on random bytes (fast-check), gzip or not', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), async (bytes, gzip) => {
      const res = await send(track, { body: Buffer.from(bytes), headers: { ...auth(), ...(gzip ? { 'content-encoding': 'gzip' } : {}) } });
      expect([200, 206, 400]).toContain(res.status);
    }), { numRuns: 60 });
    expect((await postItems(track, [requestEnvelope(ikey)], { token })).status).toBe(200);
  });

  it('accepts v2/track without a token on a resource that allows local auth', async () => {
    const open = emu.addResource({ name: 'local-auth', disableLocalAuth: false });
    const res = await postItems(`${emu.ingestionUrl}/v2/track`, [requestEnvelope(open.instrumentationKey)]);
    expect(res.status).toBe(200);
    expect(emu.countItems('requests', 'local-auth')).toBe(1);
  });

  it('maps every base type to its table with the query API columns', async () => {
    const local = emu.addResource({ name: 'mapping' });
    const k = local.instrumentationKey;
    emu.assignRole('ci-principal', 'mapping', 'Monitoring Metrics Publisher');
    const time = new Date(Date.now() - 60_000).toISOString(); // within the service's 48-hour window
    const res = await postItems(track, [
      { ...requestEnvelope(k, {}, time), sampleRate: 25 },
      envelope(k, 'RemoteDependencyData', { name: 'SELECT', id: 'd1', duration: '1.00:00:01.5', resultCode: '0', success: false, type: 'postgresql', target: 'db:5432', data: 'SELECT 1' }, time),
      envelope(k, 'ExceptionData', { exceptions: [{ typeName: 'Error', message: 'boom', hasFullStack: true, stack: 'at x', parsedStack: [{ level: 0, method: 'run', assembly: 'app' }] }, { typeName: 'TypeError', message: 'inner' }], severityLevel: 'Error' }, time),
      envelope(k, 'MessageData', { message: 'hello', severityLevel: 'Warning', properties: { k: 'v' } }, time),
      envelope(k, 'EventData', { name: 'checkout', measurements: { total: 3 } }, time),
      envelope(k, 'MetricData', { metrics: [{ name: 'queue', value: 7, count: 2, min: 3, max: 4 }, { name: 'gauge', value: 1.5 }] }, time),
    ], { token });
    expect(res.status).toBe(200);
    expect(emu.items('requests', 'mapping')[0]).toMatchObject({
      timestamp: time, id: 'b7ad6b7169203331', name: 'GET /cart', url: 'http://shop/cart', success: true, resultCode: '200', duration: 123.4567,
      performanceBucket: '<250ms', customDimensions: { tier: 'gold' }, customMeasurements: null, operation_Name: 'GET /cart',
      operation_Id: '0af7651916cd43dd8448eb211c80319c', cloud_RoleName: 'checkout', cloud_RoleInstance: 'vm-1', appId: local.applicationId,
      appName: 'mapping', iKey: k, sdkVersion: 'test:1.0', itemType: 'request', itemCount: 4,
    });
    expect(emu.items('dependencies', 'mapping')[0]).toMatchObject({ name: 'SELECT', duration: 86401500, success: false, type: 'postgresql', target: 'db:5432', data: 'SELECT 1', resultCode: '0', itemType: 'dependency' });
    expect(emu.items('exceptions', 'mapping')[0]).toMatchObject({ type: 'Error', outerType: 'Error', innermostType: 'TypeError', innermostMessage: 'inner', method: 'run', assembly: 'app', severityLevel: 3, problemId: 'Error at run', itemType: 'exception' });
    expect(emu.items('traces', 'mapping')[0]).toMatchObject({ message: 'hello', severityLevel: 2, customDimensions: { k: 'v' }, itemType: 'trace' });
    expect(emu.items('customEvents', 'mapping')[0]).toMatchObject({ name: 'checkout', customMeasurements: { total: 3 }, itemType: 'customEvent' });
    expect(emu.items('customMetrics', 'mapping').map((m) => [m['name'], m['value'], m['valueCount'], m['valueMin'], m['valueMax']])).toEqual([['queue', 7, 2, 3, 4], ['gauge', 1.5, 1, 1.5, 1.5]]);
  });

  it('logs requests with item counts and redacted auth', async () => {
    emu.clearRequests();
    await postItems(track, [requestEnvelope(ikey), {}], { token });
    expect(emu.requests()).toEqual([expect.objectContaining({ method: 'POST', path: '/v2.1/track', status: 206, itemsReceived: 2, itemsAccepted: 1, headers: expect.objectContaining({ authorization: 'Bearer <redacted>' }) })]);
  });

  describe('chaos', () => {
    it('answers the chosen status (with headers) for the next N requests, then normally', async () => {
      emu.chaos.next(2, { status: 503, headers: { 'Retry-After': '7' } });
      const a = await postItems(track, [requestEnvelope(ikey)], { token });
      const b = await postItems(track, [requestEnvelope(ikey)], { token });
      const c = await postItems(track, [requestEnvelope(ikey)], { token });
      expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
      expect(a.headers['retry-after']).toBe('7');
      expect(emu.requests().slice(-3).map((r) => r.chaos ?? false)).toEqual([true, true, false]);
    });

    it.each([[307], [308]])('redirects with %d and a Location that keeps the path', async (status) => {
      emu.chaos.next(1, { status, redirectTo: 'http://127.0.0.1:9/' });
      const res = await postItems(track, [requestEnvelope(ikey)], { token });
      expect(res.status).toBe(status);
      expect(res.headers['location']).toBe('http://127.0.0.1:9/v2.1/track');
    });

    it('delays and then answers normally', async () => {
      emu.chaos.next(1, { delayMillis: 20 });
      const res = await postItems(track, [requestEnvelope(ikey)], { token });
      expect(res.status).toBe(200);
      expect(emu.requests().at(-1)).toMatchObject({ chaos: true, status: 200 });
    });

    it('hangs until the emulator closes', async () => {
      const other = await startEmulator();
      other.chaos.next(1, { hang: true });
      const pending = postItems(`${other.ingestionUrl}/v2.1/track`, [requestEnvelope(ikey)], { token }).then(() => 'answered', () => 'cut');
      await new Promise<void>((resolve) => { const poll = (): void => { if (other.requests().length > 0) resolve(); else setImmediate(poll); }; poll(); });
      await other.close();
      await expect(pending).resolves.toBe('cut');
    });

    it('is driven over HTTP by /admin/chaos', async () => {
      const admin = `${emu.ingestionUrl}/admin/chaos`;
      expect((await send(admin, { body: JSON.stringify({ count: 1, status: 500 }) })).json()).toEqual({ pending: 1 });
      expect((await postItems(track, [requestEnvelope(ikey)], { token })).status).toBe(500);
      await send(admin, { body: JSON.stringify({ count: 3, status: 429 }) });
      expect((await send(admin, { method: 'GET' })).json()).toEqual({ pending: 3 });
      expect((await send(admin, { method: 'DELETE' })).json()).toEqual({ pending: 0 });
      expect((await send(admin, { body: JSON.stringify({ status: 'soon' }) })).status).toBe(400);
      expect((await send(admin, { body: 'nope' })).status).toBe(400);
    });
  });
});

describe('emulator SQLite storage', () => {
  it('persists accepted items across restarts in the data dir', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-sqlite-test-'));
    try {
      const first = await startEmulator({ inMemory: false, dataDir });
      const token = first.issueToken({ identity: 'ci-principal' });
      const res = await postItems(`${first.ingestionUrl}/v2.1/track`, [requestEnvelope(first.resource().instrumentationKey)], { token, gzip: true });
      expect(res.status).toBe(200);
      await first.close();
      const second = await startEmulator({ inMemory: false, dataDir });
      expect(second.countItems('requests')).toBe(1);
      expect(second.items('requests')[0]).toMatchObject({ name: 'GET /cart', customDimensions: { tier: 'gold' } });
      expect(fs.existsSync(second.caCertPath)).toBe(true);
      await second.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('emulator lifecycle', () => {
  it('fails with EMU_LISTEN on a busy port and leaves nothing running', async () => {
    const first = await startEmulator();
    try {
      await expect(startEmulator({ port: first.port })).rejects.toMatchObject({ code: 'EMU_LISTEN' });
    } finally {
      await first.close();
    }
  });

  it('adds identities at runtime and refuses admin calls on unknown names', async () => {
    const emu = await startEmulator();
    try {
      const sp = emu.addIdentity({ name: 'late', kind: 'servicePrincipal' });
      expect(emu.servicePrincipal('late')).toMatchObject({ clientId: sp.clientId, clientSecret: expect.any(String) });
      expect(() => emu.managedIdentityEnv('late')).toThrow('is not a managed identity');
      expect(() => emu.assignRole('ghost', undefined, 'Reader')).toThrow(expect.objectContaining({ code: 'EMU_UNKNOWN_IDENTITY' }));
      expect(() => emu.items('requests', 'nowhere')).toThrow(expect.objectContaining({ code: 'EMU_UNKNOWN_RESOURCE' }));
    } finally {
      await emu.close();
    }
  });
});
