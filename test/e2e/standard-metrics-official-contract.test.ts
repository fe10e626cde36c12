/**
 * Contract test: Microsoft's official distro (@azure/monitor-opentelemetry 1.18.1, test/official)
 * judges our standard metrics. Both distros run the same app
 * (test/fixtures/standard-metrics/standard-metrics-app.cjs: the same spans and log records with
 * fixed durations), each in its own child process, against its own loopback capture server (https
 * with a self-signed certificate the children trust through NODE_EXTRA_CA_CERTS; the connection
 * string holds only an instrumentation key, as in the Live Metrics contract test, so no credential
 * is involved), flush, and exit. Every envelope must pass the emulator's schema check; the
 * standard-metric envelopes (`requests/duration`, `dependencies/duration`, `exceptions/count`,
 * `traces/count`) are then compared: names, `_MS.MetricId`, `_MS.IsAutocollected`, dimension names
 * per metric, and per series the dimension values and count, sum, min and max. Where ours differs on
 * purpose, the difference is asserted here with its reason, and listed in docs/live-metrics.md
 * ("Standard metrics"). Phone-home paths of the official distro are off (see the fixture); the
 * children run with the network guard, fatal.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSelfSignedCert } from '../../packages/emulator/src/tls/create-self-signed-cert';
import { readTrackBody } from '../../packages/emulator/src/ingestion/read-track-body';
import { parseItems } from '../../packages/emulator/src/ingestion/parse-items';
import { validateEnvelope } from '../../packages/emulator/src/ingestion/validate-envelope';

const ROOT = path.join(__dirname, '..', '..');
const IKEY = '11111111-2222-4333-8444-555555555555';
const STANDARD_METRICS = ['dependencies/duration', 'exceptions/count', 'requests/duration', 'traces/count'];

type Which = 'official' | 'ours';
type Envelope = { name: string; data: { baseType: string; baseData: Record<string, unknown> } };
interface MetricPoint { name: string; kind?: string; value: number; count?: number; min?: number; max?: number }

/** One standard-metric envelope: its metric point and its properties (the dimensions). */
interface Series {
  readonly metric: string;
  readonly point: MetricPoint;
  readonly dims: Readonly<Record<string, string>>;
}

interface Capture {
  readonly origin: string;
  readonly envelopes: Envelope[];
  readonly violations: string[];
  close(): Promise<void>;
}

/** A loopback ingestion endpoint that keeps every item and checks it as the emulator does. */
async function startCapture(cert: { certPem: string; keyPem: string }): Promise<Capture> {
  const envelopes: Envelope[] = [];
  const violations: string[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    void readTrackBody(req).then((body) => {
      const parsed = body.status === 'ok' ? parseItems(body.text) : { ok: false as const };
      const items = parsed.ok ? parsed.items : [];
      if (!parsed.ok) violations.push(`unreadable body on ${req.url ?? ''}`);
      for (const item of items) {
        const check = validateEnvelope(item.value, item.byteLength);
        if (check.ok) envelopes.push(check.envelope as unknown as Envelope);
        else violations.push(JSON.stringify(check.violation));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    envelopes,
    violations,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Runs the app with one distro until it exits (it flushes and exits on its own). */
function runApp(which: Which, capture: Capture, caFile: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--require', path.join(ROOT, 'scripts/network-guard.cjs'), path.join(ROOT, 'test/fixtures/standard-metrics/standard-metrics-app.cjs'), which], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      AI_NETWORK_GUARD: 'fatal',
      NODE_EXTRA_CA_CERTS: caFile,
      SM_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=${capture.origin}/`,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
      APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=shop,service.instance.id=vm-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
  const timer = setTimeout(() => child.kill(), 40_000);
  return new Promise((resolve) => child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output: output.join('') }); }));
}

function standardSeries(capture: Capture): Series[] {
  return capture.envelopes
    .filter((e) => e.data.baseType === 'MetricData')
    .map((e) => ({ point: (e.data.baseData['metrics'] as MetricPoint[])[0] as MetricPoint, dims: e.data.baseData['properties'] as Record<string, string> }))
    .filter(({ point }) => STANDARD_METRICS.includes(point.name))
    .map(({ point, dims }) => ({ metric: point.name, point, dims }));
}

/**
 * The official distro's exception and trace counters carry their dimensions under its internal
 * names, never converted to the service's (its `getExceptionDimensions` and `getTraceDimensions`
 * skip the `convertDimensions` its request and dependency dimensions go through), so the service
 * finds no `_MS.MetricId` or `_MS.IsAutocollected` on them and takes them for custom metrics named
 * `exceptions/count` and `traces/count`. Ours sends the service's names on all four; to compare the
 * values, the official's are renamed here.
 */
const OFFICIAL_UNCONVERTED: Readonly<Record<string, string>> = {
  IsAutocollected: '_MS.IsAutocollected', metricId: '_MS.MetricId', cloudRoleName: 'cloud/roleName', cloudRoleInstance: 'cloud/roleInstance',
};

const renameUnconverted = (series: Series): Series => ({
  ...series,
  dims: Object.fromEntries(Object.entries(series.dims).map(([k, v]) => [OFFICIAL_UNCONVERTED[k] ?? k, v])),
});

/** Per metric, the dimension names every series of it carries. */
function dimensionNames(series: readonly Series[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of series) {
    const names = Object.keys(s.dims);
    out[s.metric] = (out[s.metric] ?? names).filter((n) => names.includes(n)).sort();
  }
  return out;
}

/**
 * A series' label, to pair the two distros' series: the metric and the dimensions that name what
 * was measured (result code; dependency target and result code). The other dimensions, and the
 * figures, are what is compared.
 */
function label(s: Series): string {
  if (s.metric === 'requests/duration') return `${s.metric} | ${s.dims['request/resultCode'] ?? ''}`;
  if (s.metric === 'dependencies/duration') return `${s.metric} | ${s.dims['dependency/target'] ?? ''} | ${s.dims['dependency/resultCode'] ?? ''}`;
  return s.metric;
}

/** The series of one label, merged: the distinct values of each dimension and the figures summed. */
interface Summary {
  readonly dims: Record<string, (string | null)[]>;
  readonly figures: { kind: string[]; value: number; count: number | null; min: number | null; max: number | null };
}

/** Dimensions left out of the comparison of values: compared by the tests above them. */
const NOT_COMPARED = ['_MS.MetricId', '_MS.IsAutocollected'];

function summarize(series: readonly Series[]): Map<string, Summary> {
  const groups = new Map<string, Series[]>();
  for (const s of series) groups.set(label(s), [...(groups.get(label(s)) ?? []), s]);
  const out = new Map<string, Summary>();
  for (const [key, group] of groups) {
    const names = [...new Set(group.flatMap((s) => Object.keys(s.dims)))].filter((n) => !NOT_COMPARED.includes(n));
    const values = (n: string): (string | null)[] => [...new Set(group.map((s) => s.dims[n] ?? null))].sort();
    const defined = (pick: (p: MetricPoint) => number | undefined): number[] => group.map((s) => pick(s.point)).filter((v): v is number => v !== undefined);
    const counts = defined((p) => p.count);
    const mins = defined((p) => p.min);
    const maxes = defined((p) => p.max);
    out.set(key, {
      dims: Object.fromEntries(names.map((n) => [n, values(n)])),
      figures: {
        kind: [...new Set(group.map((s) => s.point.kind ?? ''))].sort(),
        value: group.reduce((sum, s) => sum + s.point.value, 0),
        count: counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : null,
        min: mins.length > 0 ? Math.min(...mins) : null,
        max: maxes.length > 0 ? Math.max(...maxes) : null,
      },
    });
  }
  return out;
}

type Difference = readonly [ours: unknown, official: unknown];

/** Per label, the fields (dimension names, `kind`, `value`, `count`, `min`, `max`) whose values differ; a label on one side only as `series`. */
function differences(ours: Map<string, Summary>, official: Map<string, Summary>): Record<string, Record<string, Difference>> {
  const out: Record<string, Record<string, Difference>> = {};
  for (const key of [...new Set([...ours.keys(), ...official.keys()])].sort()) {
    const a = ours.get(key);
    const b = official.get(key);
    if (a === undefined || b === undefined) {
      out[key] = { series: [a ?? null, b ?? null] };
      continue;
    }
    const fieldsA: Record<string, unknown> = { ...a.dims, ...a.figures };
    const fieldsB: Record<string, unknown> = { ...b.dims, ...b.figures };
    const differing = [...new Set([...Object.keys(fieldsA), ...Object.keys(fieldsB)])]
      .filter((f) => JSON.stringify(fieldsA[f] ?? null) !== JSON.stringify(fieldsB[f] ?? null));
    if (differing.length > 0) out[key] = Object.fromEntries(differing.map((f) => [f, [fieldsA[f] ?? null, fieldsB[f] ?? null] as const]));
  }
  return out;
}

/**
 * `operation/synthetic`: ours sends it on every series, `True` or `False`, as Microsoft's Java
 * agent and .NET SDK do; the official Node.js distro sends it only when `True`. Its absence means
 * `False`, so the official's series are given `False` where it is absent before the values are
 * compared. Which requests are synthetic is compared then (see SERIES_DIFFERENCES).
 */
const withSyntheticFalse = (series: Series): Series => (series.dims['operation/synthetic'] !== undefined ? series : { ...series, dims: { ...series.dims, 'operation/synthetic': 'False' } });

const ROLE = { 'cloud/roleName': ['shop.checkout'], 'cloud/roleInstance': ['vm-1'] };
const SYNTHETIC_FALSE = { 'operation/synthetic': ['False'] };

/**
 * Where the same traffic gives different standard-metric series, by label, with both values
 * ([ours, official]). Each is a choice of ours (docs/live-metrics.md, "Standard metrics"):
 * - `Dependency.Type`: ours is the dependency's type as the `dependencies` table stores it (`Http`,
 *   `InProc`), as the Java agent sends it; the official types every dependency `http`.
 * - success of an HTTP dependency answered 404 with span status UNSET: ours `False`, as its
 *   `dependencies` row says (response code >= 400); the official, judging by span status only,
 *   `True` (its own exporter stores that row `success: true` too).
 * - `operation/synthetic` of an App Service Always On ping (user agent `AlwaysOn`, no
 *   `user_agent.synthetic.type`): ours `False`, as the request row (no
 *   `ai.operation.syntheticSource`, for both distros' exporters); the official `True` (it judges the
 *   metric by the user agent, the row by `user_agent.synthetic.type`).
 * - a span that is neither SERVER nor CLIENT: the official counts every non-SERVER span as a
 *   dependency with result code `String(undefined)` = `undefined`; ours counts each item as it is
 *   stored: the INTERNAL span as an `InProc` dependency with result code `0`, the CONSUMER span as a
 *   request (response code `0`), as both exporters store it in `requests`.
 * - `trace/severityLevel` on `traces/count`: ours splits traces by severity, as the .NET SDK and
 *   the classic Node.js SDK do; the official sends none.
 * - counters (`exceptions/count`, `traces/count`): ours sends a `Measurement` (count implied 1);
 *   the official an `Aggregation` with `count: 1`; the emulator stores both alike (value count 1;
 *   contract-ingestion-official.test.ts compares the stored rows of custom counters).
 */
const SERIES_DIFFERENCES: Record<string, Record<string, Difference>> = {
  'dependencies/duration | stock.example:8080 | 200': { 'Dependency.Type': [['Http'], ['http']] },
  'dependencies/duration | stock.example:8080 | 404': { 'Dependency.Type': [['Http'], ['http']], 'Dependency.Success': [['False'], ['True']] },
  'dependencies/duration | pay.example:9090 | 503': { 'Dependency.Type': [['Http'], ['http']] },
  'dependencies/duration |  | 0': {
    series: [{ dims: { ...ROLE, ...SYNTHETIC_FALSE, 'Dependency.Type': ['InProc'], 'dependency/target': [''], 'dependency/resultCode': ['0'], 'Dependency.Success': ['True'] }, figures: { kind: ['Aggregation'], value: 1, count: 1, min: 1, max: 1 } }, null],
  },
  'dependencies/duration |  | undefined': {
    series: [null, { dims: { ...ROLE, ...SYNTHETIC_FALSE, 'Dependency.Type': ['http'], 'dependency/target': [''], 'dependency/resultCode': ['undefined'], 'Dependency.Success': ['True'] }, figures: { kind: ['Aggregation'], value: 8, count: 2, min: 1, max: 7 } }],
  },
  'requests/duration | 0': {
    series: [{ dims: { ...ROLE, ...SYNTHETIC_FALSE, 'request/resultCode': ['0'], 'Request.Success': ['True'] }, figures: { kind: ['Aggregation'], value: 7, count: 1, min: 7, max: 7 } }, null],
  },
  'requests/duration | 200': { 'operation/synthetic': [['False'], ['False', 'True']] },
  'exceptions/count': { kind: [['Measurement'], ['Aggregation']], count: [null, 1] },
  'traces/count': { 'trace/severityLevel': [['Information', 'Warning'], null], kind: [['Measurement'], ['Aggregation']], count: [null, 1] },
};

describe('standard metrics: the official distro and ours, same traffic, series by series', () => {
  const captured: Partial<Record<Which, Capture>> = {};
  let tmp = '';

  beforeAll(async () => {
    const cert = await createSelfSignedCert();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sm-contract-'));
    const caFile = path.join(tmp, 'ca.pem');
    fs.writeFileSync(caFile, cert.certPem);
    for (const which of ['official', 'ours'] as const) {
      const capture = await startCapture(cert);
      captured[which] = capture;
      const run = await runApp(which, capture, caFile);
      if (run.code !== 0) throw new Error(`${which} app exited ${String(run.code)}:\n${run.output}`);
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(captured).map((c) => c.close()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const series = (which: Which): Series[] => standardSeries(captured[which] as Capture);

  it('both send envelopes the service accepts, and all four standard metrics', () => {
    for (const which of ['official', 'ours'] as const) {
      expect(captured[which]?.violations).toEqual([]);
      expect([...new Set(series(which).map((s) => s.metric))].sort()).toEqual(STANDARD_METRICS);
    }
  });

  it('names each by its id (`_MS.MetricId`), autocollected; the official does so for requests and dependencies only', () => {
    for (const s of series('ours')) expect([s.dims['_MS.MetricId'], s.dims['_MS.IsAutocollected']]).toEqual([s.metric, 'True']);
    for (const s of series('official')) {
      if (s.metric === 'requests/duration' || s.metric === 'dependencies/duration') expect([s.dims['_MS.MetricId'], s.dims['_MS.IsAutocollected']]).toEqual([s.metric, 'True']);
      else expect(s.dims).toEqual({ IsAutocollected: 'True', metricId: s.metric, cloudRoleName: 'shop.checkout', cloudRoleInstance: 'vm-1' }); // see OFFICIAL_UNCONVERTED
    }
  });

  it('has the official dimensions on every series, plus operation/synthetic (and trace/severityLevel on traces)', () => {
    const official = dimensionNames(series('official').map(renameUnconverted));
    const plus = (metric: string, ...names: string[]): string[] => [...(official[metric] ?? []), ...names].sort();
    expect(dimensionNames(series('ours'))).toEqual({
      'requests/duration': plus('requests/duration', 'operation/synthetic'),
      'dependencies/duration': plus('dependencies/duration', 'operation/synthetic'),
      'exceptions/count': plus('exceptions/count', 'operation/synthetic'),
      'traces/count': plus('traces/count', 'operation/synthetic', 'trace/severityLevel'),
    });
    expect(official['requests/duration']).toEqual(['Request.Success', '_MS.IsAutocollected', '_MS.MetricId', 'cloud/roleInstance', 'cloud/roleName', 'request/resultCode']);
    expect(official['dependencies/duration']).toEqual([
      'Dependency.Success', 'Dependency.Type', '_MS.IsAutocollected', '_MS.MetricId', 'cloud/roleInstance', 'cloud/roleName', 'dependency/resultCode', 'dependency/target',
    ]);
  });

  it('has the same series, dimension values and count, sum, min and max, but for the listed differences', () => {
    const ours = summarize(series('ours'));
    const official = summarize(series('official').map(renameUnconverted).map(withSyntheticFalse));
    expect(ours.get('requests/duration | 500')).toEqual({
      dims: { ...ROLE, ...SYNTHETIC_FALSE, 'request/resultCode': ['500'], 'Request.Success': ['False'] },
      figures: { kind: ['Aggregation'], value: 300, count: 1, min: 300, max: 300 },
    });
    expect(ours.get('dependencies/duration | stock.example:8080 | 200')?.figures).toEqual({ kind: ['Aggregation'], value: 20, count: 2, min: 5, max: 15 });
    expect(ours.get('exceptions/count')?.figures.value).toBe(2); // the span's recorded exception and the exception log record
    expect(ours.get('traces/count')?.figures.value).toBe(3); // two log records and the span's `cache miss` event
    expect(differences(ours, official)).toEqual(SERIES_DIFFERENCES);
  });

  /**
   * `_MS.ProcessedByMetricExtractors` tells the service an item was counted already. Its value
   * differs between Microsoft's clients (the official Node.js distro names the extractor per kind,
   * the Java agent sends `True`, the .NET exporter `(Name: X,Ver:'1.1')`), so only its presence can
   * be what the service reads; ours sends `(Name:'X', Ver:'1.1')`. Ours marks every item it
   * counted. The official leaves items it counted unmarked: it marks only SERVER and CLIENT spans
   * (the INTERNAL and CONSUMER spans it counted are not), and its log exporter drops every `_MS.*`
   * attribute, so the mark it sets on log records never reaches the service.
   */
  it('marks every item it counted with _MS.ProcessedByMetricExtractors', () => {
    const marks = (which: Which): string[] => (captured[which] as Capture).envelopes
      .filter((e) => e.data.baseType !== 'MetricData')
      .map((e) => `${e.data.baseType}: ${String((e.data.baseData['properties'] as Record<string, string> | undefined)?.['_MS.ProcessedByMetricExtractors'] ?? '-')}`)
      .sort();
    const ours = "(Name:'X', Ver:'1.1')";
    expect(marks('ours')).toEqual([
      ...Array<string>(2).fill(`ExceptionData: ${ours}`), ...Array<string>(3).fill(`MessageData: ${ours}`),
      ...Array<string>(5).fill(`RemoteDependencyData: ${ours}`), ...Array<string>(5).fill(`RequestData: ${ours}`),
    ]);
    expect(marks('official')).toEqual([
      "ExceptionData: (Name:'Exceptions', Ver:'1.1')", 'ExceptionData: -', "MessageData: (Name:'Traces', Ver:'1.1')", 'MessageData: -', 'MessageData: -',
      ...Array<string>(4).fill("RemoteDependencyData: (Name:'Dependencies', Ver:'1.1')"), 'RemoteDependencyData: -', // the INTERNAL span
      ...Array<string>(4).fill("RequestData: (Name:'Requests', Ver:'1.1')"), 'RequestData: -', // the CONSUMER span
    ]);
  });
});
