// Microsoft's official exporter (@azure/monitor-opentelemetry-exporter, test/official) and ours send
// the same spans, logs and metrics to the emulator, each to its own Entra-only resource with a
// ClientSecretCredential against the emulator's token issuer: both must be accepted (the emulator
// judges by the published schema) and stored identically, except the fields listed in
// LEGITIMATE_DIFFERENCES. Statsbeat and the other phone-home paths are off (OFFICIAL_ENV); the
// network guard fails the test on any non-loopback connection.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { AzureMonitorLogExporter } from '@appinsights-otel/exporter-logs';
import { AzureMonitorMetricExporter } from '@appinsights-otel/exporter-metric';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
import type { TableName } from '../../packages/emulator/src/storage/table-schemas';
import { createSelfSignedCert } from '../../packages/emulator/src/tls/create-self-signed-cert';

/** Stops every path of the official exporter that would phone home (see bench/src/exporters/official.js). */
const OFFICIAL_ENV = {
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
  APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED: 'true',
};

interface OfficialExporter<T> {
  export(items: T[] | T, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}
interface OfficialModule {
  AzureMonitorTraceExporter: new (options: object) => OfficialExporter<ReadableSpan>;
  AzureMonitorLogExporter: new (options: object) => OfficialExporter<ReadableLogRecord>;
  AzureMonitorMetricExporter: new (options: object) => OfficialExporter<ResourceMetrics>;
}

function loadOfficial(): OfficialModule {
  Object.assign(process.env, OFFICIAL_ENV); // read when the package loads
  return require('@azure/monitor-opentelemetry-exporter') as OfficialModule;
}

/**
 * TLS in front of the emulator's http ingestion: the official exporter's Azure pipeline refuses to
 * send a bearer token over plain http ("Bearer token authentication is not permitted for non-TLS
 * protected (non-https) URLs"), where ours allows loopback.
 */
async function startTlsFront(target: string): Promise<{ url: string; ca: string; close(): Promise<void> }> {
  const cert = await createSelfSignedCert();
  const upstream = new URL(target);
  const server = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert.certPem,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Collects on demand: the ResourceMetrics handed to both exporters. */
class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> { return Promise.resolve(); }
  protected override onForceFlush(): Promise<void> { return Promise.resolve(); }
}

const RESOURCE = resourceFromAttributes({ 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'vm-1', 'service.version': '1.2.3' });

function makeSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: RESOURCE, spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('contract');
  const server = tracer.startSpan('GET /cart/:id', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'url.scheme': 'https', 'server.address': 'shop.example', 'url.path': '/cart/42', 'http.route': '/cart/:id', 'http.response.status_code': 200, 'client.address': '10.0.0.1', 'user_agent.original': 'curl/8', tier: 'gold', retries: 3 },
  });
  server.addEvent('cache miss', { key: 'cart:42' });
  server.end();
  const failed = tracer.startSpan('POST /pay', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.scheme': 'http', 'server.address': 'shop.example', 'url.path': '/pay', 'http.route': '/pay', 'http.response.status_code': 500 } });
  failed.recordException(Object.assign(new Error('card declined'), { name: 'PaymentError' }));
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  failed.end();
  tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.example/stock?sku=1', 'server.address': 'api.example', 'server.port': 443, 'http.response.status_code': 404 } }).end();
  tracer.startSpan('SELECT shop', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.name': 'shop', 'db.statement': 'SELECT * FROM carts WHERE id = $1', 'server.address': 'db', 'server.port': 5432 } }).end();
  tracer.startSpan('compute totals', { kind: SpanKind.INTERNAL, attributes: { items: 3 } }).end();
  tracer.startSpan('publish order', { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'orders' } }).end();
  return memory.getFinishedSpans() as ReadableSpan[];
}

async function makeLogs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: RESOURCE, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  const logger = provider.getLogger('contract');
  const records: [string, SeverityNumber, Attributes][] = [
    ['cart loaded', SeverityNumber.INFO, { cartId: '42' }],
    ['disk almost full', SeverityNumber.WARN, { freeBytes: 1024 }],
    ['trace detail', SeverityNumber.DEBUG, {}],
    ['payment failed', SeverityNumber.ERROR, { 'exception.type': 'PaymentError', 'exception.message': 'card declined', 'exception.stacktrace': 'PaymentError: card declined\n    at pay (/app/pay.js:10:5)\n    at main (/app/index.js:3:1)' }],
  ];
  for (const [body, severityNumber, attributes] of records) logger.emit({ body, severityNumber, severityText: SeverityNumber[severityNumber], attributes });
  logger.emit({ body: 'signup', attributes: { 'microsoft.custom_event.name': 'UserSignedUp', plan: 'pro' } });
  // Classic telemetry carried by a log record (`_MS.baseType`), as the official distro's shims send it.
  logger.emit({ body: { id: 'run-1', name: 'Ping home', duration: '00:00:01.5000000', success: true, runLocation: 'eu-west', message: 'ok' }, attributes: { '_MS.baseType': 'AvailabilityData' } });
  logger.emit({ body: { id: 'pv-1', name: 'Home', url: 'https://shop.example/', duration: '00:00:00.2500000' }, attributes: { '_MS.baseType': 'PageViewData' } });
  await provider.forceFlush();
  return memory.getFinishedLogRecords() as ReadableLogRecord[];
}

async function makeMetrics(): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({ resource: RESOURCE, readers: [reader] });
  const meter = provider.getMeter('contract');
  meter.createCounter('orders').add(3, { region: 'eu' });
  const latency = meter.createHistogram('checkout.latency', { unit: 'ms' });
  for (const v of [12, 40, 7]) latency.record(v, { route: '/pay' });
  meter.createUpDownCounter('queue.depth').add(5);
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

/** The first result of an export (the official exporter may call back twice per batch). */
function exportOnce<T>(exporter: { export(items: T, done: (r: ExportResult) => void): void }, items: T): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

/**
 * Stored fields that legitimately differ between the two clients, on every row, and why:
 * - sdkVersion (`ai.internal.sdkVersion`): each client names itself.
 * - iKey, appId, appName, _ResourceId: each client sends to its own resource, so that the rows
 *   can be told apart (the emulator derives these from the resource).
 * - itemId: the emulator draws a fresh id per stored row.
 */
const LEGITIMATE_DIFFERENCES = ['sdkVersion', 'iKey', 'appId', 'appName', '_ResourceId', 'itemId'];

/** One 100-ns tick, in ms: the resolution of the duration string both clients send. */
const TICK_MILLIS = 0.0001;

/** A value that differs between runs (ids, stack paths): only the fact that it differs is checked. */
const VARIES = Symbol('varies');
type Difference = readonly [ours: unknown, official: unknown];

/**
 * Where the two clients map the same telemetry differently today, by row (item type: name), with
 * both values. None of these is refused by the published schema; each is a mapping choice, listed
 * so that a change on either side fails this test and is looked at (see the report of issue 22):
 * - metrics `timestamp`: the official exporter stamps every metric envelope with the export time
 *   (`new Date()` per batch); ours with the data point's end time. Both are valid envelope times.
 * - exceptions: ours parses the stack into `parsedStack` (an optional ExceptionDetails field), so
 *   the stored method columns and `problemId` are filled; the official leaves `parsedStack` out.
 * - a log body that is not the item's message (an exception's, a custom event's) is kept by ours as
 *   the `log.body` property; the official drops it.
 * - span events: ours copies the span's `ai.operation.name` and `ai.location.ip` tags onto the
 *   items made from its events; the official does not.
 * - dependencies: an INTERNAL root span is `InProc` for ours, `Dependency` for the official (which
 *   says InProc only when the span has a parent); an HTTP client span answered 404 with status
 *   UNSET is `success: false` for ours, `true` for the official (it fails only on span status
 *   ERROR); the HTTP dependency type is `HTTP` for ours, `Http` for the official (the name the
 *   classic SDKs use); a PRODUCER span is `Queue Message | <system>` with the destination as
 *   target for ours, `Queue Message` with the messaging attributes as properties for the
 *   official; a database span keeps `server.port` as a property in ours.
 */
const MAPPING_DIFFERENCES: Readonly<Record<string, Readonly<Record<string, Difference>>>> = {
  'customMetric:checkout.latency': { timestamp: [VARIES, VARIES] },
  'customMetric:orders': { timestamp: [VARIES, VARIES] },
  'customMetric:queue.depth': { timestamp: [VARIES, VARIES] },
  'exception:card declined#0': {
    details: [VARIES, VARIES], method: ['makeSpans', null], outerMethod: ['makeSpans', null], innermostMethod: ['makeSpans', null],
    problemId: ['PaymentError at makeSpans', 'PaymentError at <unknown>'], operation_Name: ['POST /pay', null],
  },
  'exception:card declined#1': {
    details: [VARIES, VARIES], method: ['pay', null], outerMethod: ['pay', null], innermostMethod: ['pay', null],
    problemId: ['PaymentError at pay', 'PaymentError at <unknown>'], customDimensions: [{ 'log.body': 'payment failed' }, null],
  },
  'customEvent:UserSignedUp': { customDimensions: [{ 'log.body': 'signup', plan: 'pro' }, { plan: 'pro' }] },
  'trace:cache miss': { client_IP: ['10.0.0.1', null], operation_Name: ['GET /cart/:id', null] },
  'dependency:compute totals': { type: ['InProc', 'Dependency'] },
  'dependency:GET /stock': { success: [false, true], type: ['HTTP', 'Http'] },
  'dependency:publish order': {
    type: ['Queue Message | rabbitmq', 'Queue Message'], target: ['orders', null],
    customDimensions: [null, { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'orders' }],
  },
  'dependency:SELECT shop': { customDimensions: [{ 'server.port': '5432' }, null] },
};

/** A stable name for a stored row, to pair the two clients' rows: item type and name or message. */
function rowLabel(row: Record<string, unknown>): string {
  return `${String(row['itemType'])}:${String(row['name'] ?? row['message'] ?? row['type'])}`;
}

function comparable(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !LEGITIMATE_DIFFERENCES.includes(k))))
    .sort((a, b) => rowLabel(a).localeCompare(rowLabel(b)) || String(a['type']).localeCompare(String(b['type'])));
}

/**
 * Equal, or within the clients' rounding: a duration within one tick (ours truncates the HrTime to
 * 100-ns ticks), a timestamp within 1 ms (the official goes through a floating-point millisecond
 * value, `hrTimeToMilliseconds`, and now and then lands 1 ms early; ours truncates exactly).
 */
function same(field: string, a: unknown, b: unknown): boolean {
  if (field === 'duration' && typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= TICK_MILLIS + 1e-9;
  if (field === 'timestamp' && typeof a === 'string' && typeof b === 'string') return Math.abs(Date.parse(a) - Date.parse(b)) <= 1;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Per row, the fields whose stored values differ (durations within one tick count as equal). */
function differences(ours: Record<string, unknown>[], official: Record<string, unknown>[]): Record<string, Record<string, Difference>> {
  const out: Record<string, Record<string, Difference>> = {};
  const labels = new Map<string, number>();
  ours.forEach((row, i) => {
    const other = official[i] ?? {};
    let label = rowLabel(row);
    const seen = labels.get(label) ?? 0;
    labels.set(label, seen + 1);
    if (ours.filter((r) => rowLabel(r) === label).length > 1) label = `${label}#${seen}`;
    const fields = [...new Set([...Object.keys(row), ...Object.keys(other)])].filter((f) => !same(f, row[f] ?? null, other[f] ?? null));
    if (fields.length > 0) out[label] = Object.fromEntries(fields.map((f) => [f, [row[f] ?? null, other[f] ?? null] as const]));
  });
  return out;
}

/** The expected table with VARIES matched by any value. */
function expectedDifferences(observed: Record<string, Record<string, Difference>>): Record<string, Record<string, Difference>> {
  const expected: Record<string, Record<string, Difference>> = {};
  for (const [label, fields] of Object.entries(MAPPING_DIFFERENCES)) {
    for (const [field, [a, b]] of Object.entries(fields)) {
      const seen = observed[label]?.[field];
      if (seen === undefined && a === VARIES && b === VARIES) continue; // e.g. two metric times that happen to agree
      (expected[label] ??= {})[field] = [a === VARIES ? seen?.[0] : a, b === VARIES ? seen?.[1] : b];
    }
  }
  return expected;
}

describe('official exporter and ours against the emulator (Entra-only resources)', () => {
  let emu: EmulatorHandle;
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  let official: OfficialModule;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    official = loadOfficial();
    emu = await startEmulator();
    emu.addResource({ name: 'official', disableLocalAuth: true });
    emu.assignRole('ci-principal', 'official', 'Monitoring Metrics Publisher');
    front = await startTlsFront(emu.ingestionUrl);
  });
  afterAll(async () => {
    await front.close();
    await emu.close();
    process.env = savedEnv;
  });

  const credential = (): ClientSecretCredential => {
    const sp = emu.servicePrincipal('ci-principal');
    return new ClientSecretCredential(sp.tenantId, sp.clientId, sp.clientSecret, { authorityHost: sp.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
  };
  const officialOptions = (): object => ({
    connectionString: `InstrumentationKey=${emu.resource('official').instrumentationKey};IngestionEndpoint=${front.url}/`,
    credential: credential(),
    disableOfflineStorage: true,
    tlsOptions: { ca: front.ca },
  });
  const oursOptions = () => ({ connectionString: emu.connectionString(), credential: credential(), disableOfflineStorage: true });

  it('both deliver every span, log and metric, and the emulator stores them identically', async () => {
    const spans = makeSpans();
    const logs = await makeLogs();
    expect(logs).toHaveLength(7);
    const metrics = await makeMetrics();
    emu.clearRequests();

    const ours = { trace: new AzureMonitorTraceExporter(oursOptions()), logs: new AzureMonitorLogExporter(oursOptions()), metric: new AzureMonitorMetricExporter(oursOptions()) };
    const theirs = { trace: new official.AzureMonitorTraceExporter(officialOptions()), logs: new official.AzureMonitorLogExporter(officialOptions()), metric: new official.AzureMonitorMetricExporter(officialOptions()) };
    try {
      expect((await exportOnce(ours.trace, spans)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(ours.logs, logs)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(ours.metric, metrics)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(theirs.trace, spans)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(theirs.logs, logs)).code).toBe(ExportResultCode.SUCCESS);
      expect((await exportOnce(theirs.metric, metrics)).code).toBe(ExportResultCode.SUCCESS);
    } finally {
      await Promise.all([...Object.values(ours), ...Object.values(theirs)].map((e) => e.shutdown()));
    }

    // Every request was accepted whole: 200, nothing refused by the schema.
    const tracks = emu.requests().filter((r) => r.path.endsWith('/v2.1/track'));
    expect(tracks).toHaveLength(6); // one batch per signal per client
    expect(tracks.map((r) => [r.status, r.itemsReceived === r.itemsAccepted])).toEqual(tracks.map(() => [200, true]));

    const tables: TableName[] = ['requests', 'dependencies', 'exceptions', 'traces', 'customEvents', 'customMetrics', 'availabilityResults', 'pageViews'];
    const observed: Record<string, Record<string, Difference>> = {};
    for (const table of tables) {
      const mine = comparable(emu.items(table, 'entra-only'));
      const theirs = comparable(emu.items(table, 'official'));
      expect(theirs.map(rowLabel)).toEqual(mine.map(rowLabel)); // the same items, in both
      Object.assign(observed, differences(mine, theirs));
    }
    expect(emu.countItems('requests', 'official')).toBe(2);
    expect(emu.countItems('dependencies', 'official')).toBe(4);
    expect(emu.countItems('traces', 'official')).toBe(4);
    expect(emu.countItems('exceptions', 'official')).toBe(2);
    expect(emu.countItems('customMetrics', 'official')).toBe(3);
    expect(emu.countItems('customEvents', 'official')).toBe(1);
    expect(emu.countItems('availabilityResults', 'official')).toBe(1);
    expect(emu.countItems('pageViews', 'official')).toBe(1);
    expect(observed).toEqual(expectedDifferences(observed));
  });

  it('both are refused alike where the service refuses: a span that ended more than 48 hours ago (103)', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: RESOURCE, spanProcessors: [new SimpleSpanProcessor(memory)] });
    const threeDaysAgo = Date.now() - 3 * 24 * 3_600_000;
    provider.getTracer('contract').startSpan('GET /old', { kind: SpanKind.SERVER, startTime: threeDaysAgo, attributes: { 'http.request.method': 'GET', 'url.path': '/old', 'http.response.status_code': 200 } }).end(threeDaysAgo + 5);
    const spans = memory.getFinishedSpans() as ReadableSpan[];
    emu.clearRequests();
    emu.clearItems();
    const ours = new AzureMonitorTraceExporter(oursOptions());
    const theirs = new official.AzureMonitorTraceExporter(officialOptions());
    try {
      await exportOnce(ours, spans);
      await exportOnce(theirs, spans);
    } finally {
      await Promise.all([ours.shutdown(), theirs.shutdown()]);
    }
    const tracks = emu.requests().filter((r) => r.path.endsWith('/v2.1/track'));
    expect(tracks.map((r) => [r.status, r.itemsReceived, r.itemsAccepted])).toEqual([[400, 1, 0], [400, 1, 0]]);
    expect(emu.countItems('requests', 'entra-only') + emu.countItems('requests', 'official')).toBe(0);
  });
});
