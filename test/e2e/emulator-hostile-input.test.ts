// Hostile input against an emulator in a child process (loopback only, the network guard preloaded):
// every case gets a 4xx/5xx in the service's shape, quickly, and the child's peak RSS stays under
// 300 MB throughout. The child reports its peak with process.resourceUsage().maxRSS.
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { NETWORK_GUARD, REPO_ROOT, requireBuilt } from '../fixtures/apps/run-node';
import { postItems, requestEnvelope, send, type PlainResponse } from '../../packages/emulator/test/helpers/envelopes';
import { TABLE_SCHEMAS } from '@appinsights-otel/emulator';

// Kusto.Language (the parser the query API is checked with) takes about 110 MB once loaded.
const MAX_RSS_BYTES = 400 * 1024 * 1024;
const SEEDED_ROWS = 20_000;

interface Ready { ingestionUrl: string; token: string; queryToken: string; ikey: string; appId: string }
interface Stats { maxRssBytes: number; requests: number; lastStatus: number; warnings: string[] }

const CHILD_SCRIPT = `
const { startEmulator } = require(${JSON.stringify(path.join(REPO_ROOT, 'packages', 'emulator', 'dist', 'index.js'))});
const warnings = [];
process.on('warning', (w) => warnings.push(w.name + ': ' + w.message));
startEmulator().then((emu) => {
  process.send({ type: 'ready', ingestionUrl: emu.ingestionUrl, ikey: emu.resource().instrumentationKey, appId: emu.resource().applicationId,
    token: emu.issueToken({ identity: 'ci-principal' }), queryToken: emu.issueToken({ identity: 'ci-principal', audience: 'https://api.applicationinsights.io' }) });
  process.on('message', (m) => {
    if (m === 'stats') {
      const log = emu.requests();
      process.send({ type: 'stats', maxRssBytes: process.resourceUsage().maxRSS * 1024, requests: emu.countItems('requests'),
        lastStatus: log.length ? log[log.length - 1].status : -1, warnings });
    } else if (m === 'stop') emu.close().then(() => process.exit(0));
  });
});
`;

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null): void => reject(new Error(`the emulator child exited (${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

describe('emulator under hostile input (child process, peak RSS < 400 MB)', () => {
  let child: ChildProcess;
  let ready: Ready;
  let stderr = '';
  let track: string;
  let query: string;

  const stats = (): Promise<Stats> => {
    const answer = nextMessage<Stats>(child, 'stats');
    child.send('stats');
    return answer;
  };
  const expectRssUnderCap = async (): Promise<void> => {
    expect((await stats()).maxRssBytes).toBeLessThan(MAX_RSS_BYTES);
  };
  const runQuery = (kql: string): Promise<PlainResponse> => send(query, {
    headers: { authorization: `Bearer ${ready.queryToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: kql }),
  });
  const innerCode = (res: PlainResponse): unknown => res.json<{ error: { innererror?: { code?: string } } }>().error.innererror?.code;

  const startChild = async (): Promise<void> => {
    child = spawn(process.execPath, ['--require', NETWORK_GUARD, '-e', CHILD_SCRIPT], {
      cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal' }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    ready = await nextMessage<Ready>(child, 'ready');
    track = `${ready.ingestionUrl}/v2.1/track`;
    query = `${ready.ingestionUrl}/v1/apps/${ready.appId}/query`;
  };
  const stopChild = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
  };

  beforeAll(async () => {
    requireBuilt('emulator/dist/index.js');
    await startChild();
  }, 60_000);

  afterAll(async () => {
    await stopChild();
    expect(stderr).not.toContain('NETWORK GUARD');
  });

  it('answers 400 for 5,000 levels of nesting inside properties (it used to overflow the stack: 500)', async () => {
    const deep = '{"a":'.repeat(5000) + '"x"' + '}'.repeat(5000);
    const item = { ...requestEnvelope(ready.ikey), data: { baseType: 'EventData', baseData: { ver: 2, name: 'deep', properties: { p: '__DEEP__' } } } };
    const body = JSON.stringify([item]).replace('"__DEEP__"', deep);
    const res = await send(track, { headers: { authorization: `Bearer ${ready.token}` }, body });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: expect.stringContaining('nest deeper than 64') }] });
    await expectRssUnderCap();
  });

  it('answers a small 413 to four concurrent 9 KB gzip bodies of empty objects (each used to build a 362 MB answer)', async () => {
    const bomb = gzipSync(Buffer.from(`[${Array(3_000_000).fill('{}').join(',')}]`));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const answers = await Promise.all([0, 1, 2, 3].map(() =>
      send(track, { headers: { authorization: `Bearer ${ready.token}`, 'content-encoding': 'gzip' }, body: bomb })));
    for (const res of answers) {
      expect(res.status).toBe(413);
      expect(res.text.length).toBeLessThan(1024);
    }
    await expectRssUnderCap();
  });

  it('lists at most 1,000 errors for 64,000 invalid items (the service limit per request), counting them all', async () => {
    const res = await send(track, { headers: { authorization: `Bearer ${ready.token}` }, body: `[${Array(64_000).fill('{}').join(',')}]` });
    expect(res.status).toBe(400);
    const body = res.json<{ itemsReceived: number; itemsAccepted: number; errors: unknown[] }>();
    expect(body).toMatchObject({ itemsReceived: 64_000, itemsAccepted: 0 });
    expect(body.errors).toHaveLength(1_000);
    expect(res.text.length).toBeLessThan(200 * 1024);
    const ndjson = await send(track, { headers: { authorization: `Bearer ${ready.token}` }, body: Array(100_000).fill('{}').join('\n') });
    expect(ndjson.status).toBe(413);
    await expectRssUnderCap();
  });

  it('refuses an unauthenticated v2/track on the Entra-only resource whatever the body: [], garbage, or items', async () => {
    for (const body of ['[]', 'not json', JSON.stringify([requestEnvelope(ready.ikey)])]) {
      const res = await send(`${ready.ingestionUrl}/v2/track`, { body });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/authentication not supported/i);
    }
  });

  describe('KQL over 20,000 stored rows', () => {
    beforeAll(async () => {
      // A fresh emulator: its peak RSS is then that of 20,000 stored rows and the queries below,
      // not the high-water mark the ingestion cases above left in the previous process.
      await stopChild();
      await startChild();
      const batch = Array.from({ length: 1_000 }, () => requestEnvelope(ready.ikey)); // what an exporter sends at most
      for (let i = 0; i < SEEDED_ROWS / batch.length; i++) {
        expect((await postItems(track, batch, { token: ready.token, gzip: true })).status).toBe(200);
      }
      expect((await stats()).requests).toBe(SEEDED_ROWS);
    }, 120_000);

    it.each([
      ['5,000 nested parentheses', `requests | where ${'('.repeat(5000)}duration${')'.repeat(5000)} > 0`, 'ExpressionTooDeep'],
      ['a chain of 5,000 additions', `requests | extend x = ${Array(5000).fill('1').join('+')}`, 'ExpressionTooDeep'],
      ['a 54 KB query', `requests${' | where duration >= 0 and name != "x"'.repeat(1500)}`, 'QueryTooLong'],
    ])('answers 400 BadArgumentError for %s (it used to overflow the stack or block)', async (_name, kql, code) => {
      const res = await runQuery(kql);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'BadArgumentError' } });
      expect(innerCode(res)).toBe(code);
      await expectRssUnderCap();
    });

    it.each([
      // 200, not more: Kusto.Language itself refuses a pipeline much deeper (KS245) before any cost is counted
      ['200 chained where (20,000 rows each)', `requests${' | where duration >= 0'.repeat(200)}`, 'QueryCost'],
      ['an extend of 1,000 columns', `requests | extend ${Array.from({ length: 1000 }, (_, i) => `c${i} = duration`).join(', ')}`, 'QueryCost'],
      ['a project of 30 columns (600,000 computed cells)', `requests | project ${Array.from({ length: 30 }, (_, i) => `c${i} = name`).join(', ')}`, 'ComputedCells'],
    ])('refuses %s with 400 before doing the work (it used to block for seconds or run out of heap)', async (_name, kql, code) => {
      const res = await runQuery(kql);
      expect(res.status).toBe(400);
      expect(innerCode(res)).toBe(code);
      await expectRssUnderCap();
    });

    it('still answers legitimate queries over all the rows, the largest the limits allow included (streamed)', async () => {
      const widest = await runQuery(`requests | extend ${Array.from({ length: 24 }, (_, i) => `c${i} = strlen(name)`).join(', ')}`);
      expect(widest.status).toBe(200);
      expect(widest.json<{ tables: { rows: unknown[][] }[] }>().tables[0]?.rows[SEEDED_ROWS - 1]).toHaveLength(TABLE_SCHEMAS.requests.length + 24);
      const all = await runQuery('requests | order by name asc, duration desc');
      expect(all.status).toBe(200);
      expect(all.json<{ tables: { rows: unknown[] }[] }>().tables[0]?.rows).toHaveLength(SEEDED_ROWS);
      const counted = await runQuery('requests | summarize n = count() by name');
      expect(counted.json<{ tables: { rows: unknown[][] }[] }>().tables[0]?.rows).toEqual([['GET /cart', SEEDED_ROWS]]);
      await expectRssUnderCap();
    });
  });

  describe('delay chaos', () => {
    afterEach(() => send(`${ready.ingestionUrl}/admin/chaos`, { method: 'DELETE' }));

    it('stores a delayed request whose client went away, and its handler ends', async () => {
      const before = (await stats()).requests;
      await send(`${ready.ingestionUrl}/admin/chaos`, { body: JSON.stringify({ count: 1, delayMillis: 300 }) });
      const body = JSON.stringify([requestEnvelope(ready.ikey, { name: 'gave-up' })]);
      await new Promise<void>((resolve, reject) => {
        const url = new URL(track);
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.end([`POST ${url.pathname} HTTP/1.1`, `host: ${url.host}`, `authorization: Bearer ${ready.token}`, 'content-type: application/json',
            `content-length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
          socket.destroy(); // the client gives up at once, during the delay
          resolve();
        });
        socket.on('error', reject);
      });
      let s = await stats();
      for (let i = 0; i < 100 && s.requests === before; i++) {
        await new Promise((r) => setTimeout(r, 50));
        s = await stats();
      }
      expect(s.requests).toBe(before + 1);
      expect(s.lastStatus).toBe(200);
    });

    it('collects no abort listener per delayed request (no MaxListenersExceededWarning after 15)', async () => {
      await send(`${ready.ingestionUrl}/admin/chaos`, { body: JSON.stringify({ count: 15, delayMillis: 1 }) });
      for (let i = 0; i < 15; i++) expect((await postItems(track, [requestEnvelope(ready.ikey)], { token: ready.token })).status).toBe(200);
      expect((await stats()).warnings).toEqual([]);
      await expectRssUnderCap();
    });
  });

  it('keeps answering ordinary requests afterwards', async () => {
    expect((await postItems(track, [requestEnvelope(ready.ikey)], { token: ready.token })).status).toBe(200);
    expect((await new Promise<number>((resolve, reject) => {
      http.get(`${ready.ingestionUrl}/`, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
    }))).toBe(200);
  });
});
