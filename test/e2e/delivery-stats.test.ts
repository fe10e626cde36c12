import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { diag, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { startEmulator, DEFAULT_IDS, type EmulatorHandle, type QueryResponse } from '@appinsights-otel/emulator';
import { shutdownAzureMonitor, useAzureMonitor } from '@appinsights-otel/distro';
import { createDeliveryStats } from '@appinsights-otel/core';

/**
 * Delivery statistics (SDK Stats) end to end: the distro with `enableDeliveryStats` sends to an
 * Entra-only emulator resource through a fault proxy on loopback that refuses some items for good
 * (400) and asks for others to be retried (503) in a 206, then lets their retry through. The SDK
 * Stats rows the emulator stores, read with the query of docs/sdk-stats.md, must equal what was
 * sent, dropped and retried.
 */

/** The query of docs/sdk-stats.md ("Counts by outcome, type and code"), verbatim. */
const SDK_STATS_QUERY = `customMetrics
| where name in ("Item_Success_Count", "Item_Dropped_Count", "Item_Retry_Count")
| extend telemetry_type = tostring(customDimensions["telemetry_type"]),
    code = strcat(tostring(customDimensions["drop.code"]), tostring(customDimensions["retry.code"])),
    reason = strcat(tostring(customDimensions["drop.reason"]), tostring(customDimensions["retry.reason"]))
| summarize items = sum(todouble(value)) by name, telemetry_type, code, reason
| order by name asc, telemetry_type asc, code asc`;

/** Microsoft's "Export outcomes vs. time" query (Azure Monitor docs, SDK stats), as published. */
const MICROSOFT_OUTCOMES_QUERY = `let g = 15m; // align with export interval for clearer charts
customMetrics
| where name in ("Item_Success_Count", "Item_Dropped_Count", "Item_Retry_Count")
| summarize
    success = sumif(todouble(value), name == "Item_Success_Count"),
    dropped = sumif(todouble(value), name == "Item_Dropped_Count"),
    retry   = sumif(todouble(value), name == "Item_Retry_Count")
    by bin(timestamp, g)`;

/** Microsoft's "Drop reasons summary with code" query, as published. */
const MICROSOFT_DROP_REASONS_QUERY = `customMetrics
| where name == "Item_Dropped_Count"
| extend drop_reason = tostring(customDimensions["drop.reason"]),
        drop_code   = tostring(customDimensions["drop.code"])
| summarize total_dropped = sum(todouble(value)) by drop_reason, drop_code
| order by total_dropped desc`;

interface FaultProxy {
  readonly url: string;
  /** Item ids answered 503 once already (their retry is let through). */
  readonly retried: Set<string>;
  close(): Promise<void>;
}

/** Each item's `fault` property: `drop` is refused for good (400), `retry` is answered 503 once. */
function faultOf(item: Record<string, unknown>): { fault?: string; id?: string } {
  const data = item['data'] as { baseData?: { properties?: Record<string, string> } } | undefined;
  const properties = data?.baseData?.properties ?? {};
  return { ...(properties['fault'] !== undefined ? { fault: properties['fault'] } : {}), ...(properties['fault_id'] !== undefined ? { id: properties['fault_id'] } : {}) };
}

function forward(target: string, req: http.IncomingMessage, body: Buffer, gzip: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-json-stream', 'content-length': body.length };
    if (req.headers.authorization !== undefined) headers['authorization'] = req.headers.authorization;
    if (gzip) headers['content-encoding'] = 'gzip';
    const out = http.request(`${target}${req.url ?? '/'}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** A loopback proxy in front of the emulator's ingestion that answers 206 for items carrying a fault. */
async function startFaultProxy(target: string): Promise<FaultProxy> {
  const retried = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const gzip = req.headers['content-encoding'] === 'gzip';
        const lines = (gzip ? gunzipSync(raw) : raw).toString('utf8').split('\n').filter((l) => l.trim() !== '');
        const errors: { index: number; statusCode: number; message: string }[] = [];
        const passed: string[] = [];
        lines.forEach((line, index) => {
          const { fault, id } = faultOf(JSON.parse(line) as Record<string, unknown>);
          if (fault === 'drop') errors.push({ index, statusCode: 400, message: 'Field is invalid (fault proxy)' });
          else if (fault === 'retry' && id !== undefined && !retried.has(id)) { retried.add(id); errors.push({ index, statusCode: 503, message: 'Try again (fault proxy)' }); } else passed.push(line);
        });
        if (errors.length === 0) {
          const answer = await forward(target, req, raw, gzip);
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
          return;
        }
        const answer = passed.length > 0 ? await forward(target, req, Buffer.from(passed.join('\n')), false) : { status: 200, text: '' };
        if (answer.status !== 200) { res.writeHead(answer.status).end(answer.text); return; }
        res.writeHead(206, { 'content-type': 'application/json' })
          .end(JSON.stringify({ itemsReceived: lines.length, itemsAccepted: passed.length, errors }));
      })().catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    retried,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function rowsOf(response: QueryResponse): Record<string, unknown>[] {
  const table = response.tables[0];
  if (table === undefined) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
}

describe('delivery statistics (SDK Stats) through the emulator, Entra-only resource', () => {
  let emulator: EmulatorHandle;
  let proxy: FaultProxy;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.query('customMetrics | take 1'); // loads Kusto.Language once, before the timed part
  }, 120_000);
  afterAll(async () => { await emulator.close(); });
  beforeEach(async () => {
    proxy = await startFaultProxy(emulator.ingestionUrl);
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-sdkstats-'));
  });
  afterEach(async () => {
    await shutdownAzureMonitor(5_000);
    diag.disable();
    await proxy.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  const credential: TokenCredential = {
    async getToken(scopes: string | string[]): Promise<AccessToken> {
      const scope = Array.isArray(scopes) ? scopes[0] ?? '' : scopes;
      return { token: emulator.issueToken({ identity: DEFAULT_IDS.managedIdentityName, audience: scope }), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };

  it('counts equal what was sent, dropped (400) and retried (503), with the workbook\'s names and dimensions', async () => {
    diag.setLogger({ error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined }, DiagLogLevel.ERROR);
    const ikey = emulator.resource().instrumentationKey;
    useAzureMonitor({
      connectionString: `InstrumentationKey=${ikey};IngestionEndpoint=${proxy.url}/`,
      credential,
      storageDirectory: dir,
      enableDeliveryStats: true,
      enableLiveMetrics: false,
      enablePerformanceCounters: false,
      enableStandardMetrics: false,
      disableMetricExport: true,
      instrumentationOptions: { http: { enabled: false } },
    });
    const tracer = trace.getTracer('e2e');
    const request = (name: string, attributes: Record<string, string>, failed = false): void => {
      tracer.startActiveSpan(name, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': name.slice(4), ...attributes } }, (span) => {
        span.setAttribute('http.response.status_code', failed ? 500 : 200);
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
    };
    request('GET /ok', {});
    request('GET /fails', {}, true);
    request('GET /refused', { fault: 'drop' });
    const logger = logs.getLogger('e2e');
    logger.emit({ body: 'plain', severityNumber: SeverityNumber.INFO });
    for (const id of ['r1', 'r2', 'r3']) logger.emit({ body: `retried ${id}`, severityNumber: SeverityNumber.INFO, attributes: { fault: 'retry', fault_id: id } });

    await shutdownAzureMonitor(15_000);

    // What the application sees: the refused request is missing, the retried logs arrived once.
    expect(emulator.items('requests').map((r) => r['name']).sort()).toEqual(['GET /fails', 'GET /ok']);
    expect(emulator.items('traces').map((t) => t['message']).sort()).toEqual(['plain', 'retried r1', 'retried r2', 'retried r3']);
    expect(proxy.retried.size).toBe(3);

    // What SDK Stats say, read with the documented query.
    const rows = rowsOf(emulator.query(SDK_STATS_QUERY, { timespan: 'PT1H' }));
    expect(rows).toEqual([
      { name: 'Item_Dropped_Count', telemetry_type: 'REQUEST', code: '400', reason: 'Bad request', items: 1 },
      { name: 'Item_Retry_Count', telemetry_type: 'TRACE', code: '503', reason: 'Service unavailable', items: 3 },
      { name: 'Item_Success_Count', telemetry_type: 'REQUEST', code: '', reason: '', items: 2 },
      { name: 'Item_Success_Count', telemetry_type: 'TRACE', code: '', reason: '', items: 4 },
    ]);

    // Microsoft's own workbook queries read them (one 15-minute bin: everything happened within a second or two).
    const outcomes = rowsOf(emulator.query(MICROSOFT_OUTCOMES_QUERY, { timespan: 'PT1H' }));
    expect(outcomes.reduce((sum, r) => sum + Number(r['success']), 0)).toBe(6);
    expect(outcomes.reduce((sum, r) => sum + Number(r['dropped']), 0)).toBe(1);
    expect(outcomes.reduce((sum, r) => sum + Number(r['retry']), 0)).toBe(3);
    expect(rowsOf(emulator.query(MICROSOFT_DROP_REASONS_QUERY, { timespan: 'PT1H' })))
      .toEqual([{ drop_reason: 'Bad request', drop_code: '400', total_dropped: 1 }]);

    // Every row carries the workbook's dimensions; the dropped request says it was a successful one.
    const stored = emulator.items('customMetrics').filter((m) => String(m['name']).startsWith('Item_'));
    for (const metric of stored) {
      expect(metric['customDimensions']).toMatchObject({ language: 'node', computeType: 'unknown', version: expect.any(String) });
      expect(metric['sdkVersion']).toEqual(expect.stringMatching(/^node/));
    }
    const dropped = stored.find((m) => m['name'] === 'Item_Dropped_Count');
    expect(dropped?.['customDimensions']).toMatchObject({ telemetry_type: 'REQUEST', 'drop.code': '400', telemetry_success: 'true' });
    // Never counted in themselves: no SDK Stats row counts a CUSTOM_METRIC (the only metrics sent were SDK Stats).
    expect(rows.some((r) => r['telemetry_type'] === 'CUSTOM_METRIC')).toBe(false);
  }, 60_000);

  it('sends one set of rows per interval (counts since the previous one), and nothing for an empty interval', async () => {
    const stats = createDeliveryStats({
      connectionString: emulator.connectionString(), credential, storageDirectory: dir, intervalMillis: 300, computeType: 'aks', version: '9.9.9',
    });
    const sent = async (items: number): Promise<void> => {
      const lines = Array.from({ length: items }, () => JSON.stringify({ data: { baseType: 'MessageData', baseData: { ver: 2, message: 'x' } } }));
      stats.observer.settled({
        body: { data: Buffer.from(lines.join('\n')), gzip: false, itemCount: items },
        outcome: { status: 'success', itemCount: items }, attempted: true, notQueued: 0, evicted: 0,
      });
    };
    const ours = (): Record<string, unknown>[] => emulator.items('customMetrics')
      .filter((m) => m['name'] === 'Item_Success_Count' && (m['customDimensions'] as Record<string, string>)['version'] === '9.9.9');
    const successRows = (): number[] => ours().map((m) => Number(m['value']));
    const waitForRows = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && successRows().length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    try {
      await sent(2);
      await waitForRows(1);
      await new Promise((r) => setTimeout(r, 700)); // two more intervals with nothing counted
      expect(successRows()).toEqual([2]); // an empty interval sends nothing
      await sent(5);
      await waitForRows(2);
      expect(successRows()).toEqual([2, 5]); // the second interval counts only its own
      expect(ours()[0]?.['customDimensions']).toEqual({ computeType: 'aks', language: 'node', version: '9.9.9', telemetry_type: 'TRACE' });
    } finally {
      await stats.shutdown();
    }
  }, 30_000);
});
