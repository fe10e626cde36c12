// What Microsoft's browser SDK (@microsoft/applicationinsights-web, test/official) sends through a
// relay is accepted by the emulator as the service accepts it, and lands in the classic tables with
// their columns. The SDK runs unmodified in a child process (test/fixtures/browser-sdk) and sends to
// a loopback server standing where the relay would be; the bodies it sent are then posted to the
// emulator's v2.1/track with a bearer token, as a relay forwards them.
import * as http from 'node:http';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import type { TableName } from '../../packages/emulator/src/storage/table-schemas';
import { postItems } from '../../packages/emulator/test/helpers/envelopes';

interface SdkItem {
  name: string;
  iKey: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: Record<string, unknown> };
}

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/browser-sdk/web-sdk-sends.cjs');

/** Starts a loopback server that answers like ingestion and keeps every body it receives. */
async function startCapture(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"itemsReceived":1,"itemsAccepted":1,"errors":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/telemetry`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs the SDK fixture once; resolves with its exit code and output. */
function runSdk(endpoint: string, ikey: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', path.join(ROOT, 'scripts/network-guard.cjs'), FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, INGESTION_ENDPOINT: endpoint, IKEY: ikey, AI_NETWORK_GUARD: 'fatal' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('emulator: what the browser SDK sends', () => {
  let emu: EmulatorHandle;
  let token: string;
  let ikey: string;
  let track: string;
  let items: SdkItem[];
  let bodies: string[];

  beforeAll(async () => {
    emu = await startEmulator({ inMemory: true });
    token = emu.issueToken({ identity: 'ci-principal' });
    ikey = emu.resource().instrumentationKey;
    track = `${emu.ingestionUrl}/v2.1/track`;
    const capture = await startCapture();
    try {
      const run = await runSdk(capture.url, ikey);
      expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: '' });
    } finally {
      await capture.close();
    }
    bodies = capture.bodies;
    items = bodies.flatMap((b) => JSON.parse(b) as SdkItem[]);
  }, 60_000);
  afterAll(() => emu.close());

  const itemOf = (baseType: string): SdkItem => {
    const found = items.find((i) => i.data.baseType === baseType);
    if (found === undefined) throw new Error(`the SDK sent no ${baseType}: ${items.map((i) => i.data.baseType).join(', ')}`);
    return found;
  };
  const ikeyNoDashes = (): string => ikey.replace(/-/g, '');

  it('sends the envelope names and base types the service knows under their Bond aliases', () => {
    expect(items.map((i) => [i.name, i.data.baseType])).toEqual([
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Pageview`, 'PageviewData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.PageviewPerformance`, 'PageviewPerformanceData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Exception`, 'ExceptionData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Exception`, 'ExceptionData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Message`, 'MessageData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Event`, 'EventData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.Metric`, 'MetricData'],
      [`Microsoft.ApplicationInsights.${ikeyNoDashes()}.RemoteDependency`, 'RemoteDependencyData'],
    ]);
  });

  const COMMON = {
    user_Id: 'u7Qx2', user_AuthenticatedId: 'alice@contoso', session_Id: 'sKb8N', operation_Id: '4bf92f3577b34da6a3ce929d0e0e4736',
    operation_ParentId: '00f067aa0ba902b7', operation_Name: '/checkout', client_Type: 'Browser', client_Model: 'Pixel 8', client_OS: 'Android 15',
    client_IP: '203.0.113.9', client_Browser: 'Chrome 131.0', application_Version: '2.4.1', sdkVersion: 'javascript:3.4.4',
  };

  it.each<[string, TableName, Record<string, unknown>]>([
    ['PageviewData', 'pageViews', { name: 'Checkout', url: 'https://shop.example/checkout', duration: 1320, performanceBucket: '1sec-3sec', itemType: 'pageView', customMeasurements: { duration: 1320 } }],
    ['PageviewPerformanceData', 'browserTimings', { name: 'Checkout', url: 'https://shop.example/checkout', networkDuration: 120, sendDuration: 80, receiveDuration: 300, processingDuration: 820, totalDuration: 1320, performanceBucket: '1sec-3sec', itemType: 'browserTiming' }],
    ['ExceptionData', 'exceptions', { type: 'SyntaxError', outerType: 'SyntaxError', message: 'SyntaxError: Unexpected end of JSON input', method: 'JSON.parse', assembly: 'at JSON.parse (<anonymous>)', severityLevel: 3, itemType: 'exception' }],
    ['MessageData', 'traces', { message: 'coupon applied', severityLevel: 1, itemType: 'trace' }],
    ['EventData', 'customEvents', { name: 'AddToCart', itemType: 'customEvent', customDimensions: { sku: 'B-42', domain: 'shop.example', screenRes: '412x915' } }],
    ['MetricData', 'customMetrics', { name: 'cartSize', value: 3, valueCount: 2, valueMin: 1, valueMax: 5, itemType: 'customMetric' }],
    ['RemoteDependencyData', 'dependencies', { name: 'POST /api/cart', type: 'Fetch', target: 'shop.example', data: 'POST /api/cart', resultCode: '201', success: true, duration: 42, itemType: 'dependency' }],
  ])('accepts the SDK\'s %s and stores it in %s with the table\'s columns', async (baseType, table, columns) => {
    const before = emu.countItems(table);
    const res = await postItems(track, [itemOf(baseType)], { token });
    expect({ status: res.status, body: res.json() }).toEqual({ status: 200, body: { itemsReceived: 1, itemsAccepted: 1, errors: [] } });
    const stored = emu.items(table);
    expect(stored).toHaveLength(before + 1);
    expect(stored[stored.length - 1]).toMatchObject({ ...COMMON, ...columns });
  });

  it('accepts each body exactly as the SDK sent it, and answers the way its sender reads as success', async () => {
    emu.clearItems();
    for (const body of bodies) {
      const res = await postItems(track, JSON.parse(body) as unknown[], { token });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ errors: [] });
    }
    expect(TABLES_FILLED.map((t) => [t, emu.countItems(t)])).toEqual(TABLES_FILLED.map((t) => [t, t === 'exceptions' ? 2 : 1]));
  });

  it('stores an uncaught error as the SDK reports it (window.onerror), with its parsed stack', async () => {
    const uncaught = items.filter((i) => i.data.baseType === 'ExceptionData')[1] as SdkItem;
    expect(uncaught.data.baseData['exceptions']).toMatchObject([{ typeName: 'TypeError', hasFullStack: true, parsedStack: expect.arrayContaining([expect.objectContaining({ level: 0 })]) as unknown }]);
    const before = emu.countItems('exceptions');
    expect((await postItems(track, [uncaught], { token })).status).toBe(200);
    const stored = emu.items('exceptions');
    expect(stored).toHaveLength(before + 1);
    expect(stored[stored.length - 1]).toMatchObject({ ...COMMON, type: 'TypeError', message: 'Uncaught TypeError: cart.total is not a function', method: 'Object.<anonymous>', severityLevel: 3 });
  });

  it('answers the KQL users write over browser tables', async () => {
    emu.clearItems();
    const second = { ...itemOf('PageviewData'), data: { ...itemOf('PageviewData').data, baseData: { ...itemOf('PageviewData').data.baseData, duration: '00:00:00.400' } } };
    const timing = itemOf('PageviewPerformanceData');
    const slow = { ...timing, data: { ...timing.data, baseData: { ...timing.data.baseData, perfTotal: '00:00:02.680' } } };
    expect((await postItems(track, [itemOf('PageviewData'), second, timing, slow], { token })).status).toBe(200);
    const views = emu.query('pageViews | summarize count() by name', { timespan: 'PT1H' });
    expect(views.tables[0]?.rows).toEqual([['Checkout', 2]]);
    const timings = emu.query('browserTimings | summarize avg(totalDuration)', { timespan: 'PT1H' });
    expect(timings.tables[0]?.rows).toEqual([[2000]]);
    const byClient = emu.query('pageViews | summarize sessions = dcount(session_Id) by client_Browser, client_OS', { timespan: 'PT1H' });
    expect(byClient.tables[0]?.rows).toEqual([['Chrome 131.0', 'Android 15', 1]]);
  });
});

const TABLES_FILLED: readonly TableName[] = ['pageViews', 'browserTimings', 'exceptions', 'traces', 'customEvents', 'customMetrics', 'dependencies'];
