/**
 * Contract test: Microsoft's official distro (@azure/monitor-opentelemetry 1.18.1, test/official)
 * and ours run the same app (test/fixtures/live-metrics/live-metrics-app.cjs), each in its own child
 * process, against one kind of loopback capture server that answers every ping and post
 * "subscribed" with the same filter configuration (one derived metric, one document stream). The
 * requests are compared field by field; where they differ on purpose, the difference is asserted
 * here and listed in docs/live-metrics.md. Both bodies must also pass the emulator's check against
 * the 2024-04-01-preview spec. The official client speaks only TLS, hence https with a
 * self-signed certificate the children trust through NODE_EXTRA_CA_CERTS. Phone-home paths of the
 * official distro are off (see the fixture); the children run with the network guard, fatal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSelfSignedCert } from '../../packages/emulator/src/tls/create-self-signed-cert';
import { validateAgainstLiveMetricsSpec } from '../../packages/emulator/src/live-metrics/validate-against-live-metrics-spec';

const ROOT = path.join(__dirname, '..', '..');
const IKEY = '11111111-2222-4333-8444-555555555555';
const ETAG = '"contract-1"';
const CONFIGURATION = {
  ETag: ETAG,
  Metrics: [{
    Id: 'failed-requests', TelemetryType: 'Request', Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum',
    FilterGroups: [{ Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] }],
  }],
  DocumentStreams: [{
    Id: 'slow-requests',
    DocumentFilterGroups: [{ TelemetryType: 'Request', Filters: { Filters: [{ FieldName: 'Duration', Predicate: 'GreaterThan', Comparand: '0.0:0:0.1' }] } }],
  }],
  QuotaInfo: null,
};

interface Captured {
  readonly operation: 'ping' | 'post';
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Capture {
  readonly origin: string;
  readonly requests: Captured[];
  close(): Promise<void>;
}

async function startCapture(cert: { certPem: string; keyPem: string }): Promise<Capture> {
  const requests: Captured[] = [];
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const match = /\/QuickPulseService\.svc\/(ping|post)$/i.exec(url.pathname);
      if (match === null) { // ingestion (track): accepted, not compared here
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}');
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        operation: (match[1] as string).toLowerCase() as 'ping' | 'post',
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: text === '' ? undefined : JSON.parse(text) as unknown,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-ms-qps-subscribed': 'true', 'x-ms-qps-configuration-etag': ETAG });
      res.end(JSON.stringify(CONFIGURATION));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function startApp(which: 'official' | 'ours', capture: Capture, caFile: string): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ['--require', path.join(ROOT, 'scripts/network-guard.cjs'), path.join(ROOT, 'test/fixtures/live-metrics/live-metrics-app.cjs'), which], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      AI_NETWORK_GUARD: 'fatal',
      NODE_EXTRA_CA_CERTS: caFile,
      LM_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=${capture.origin}/;LiveEndpoint=${capture.origin}`,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
      APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED: 'true',
      OTEL_SERVICE_NAME: 'shop',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on('data', (c: Buffer) => child.output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => child.output.push(c.toString()));
  return child;
}

async function waitFor(predicate: () => boolean, timeoutMillis: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline && !predicate()) await new Promise((r) => setTimeout(r, 100));
  return predicate();
}

type Point = Record<string, unknown> & { Metrics?: { Name: string; Value: number; Weight: number }[]; Documents?: Record<string, unknown>[] };
const IDENTITY_HEADERS = ['x-ms-qps-instance-name', 'x-ms-qps-invariant-version', 'x-ms-qps-machine-name', 'x-ms-qps-role-name', 'x-ms-qps-stream-id'];
const qpsHeaders = (c: Captured): string[] => Object.keys(c.headers).filter((h) => h.startsWith('x-ms-qps-')).sort();
const pointOf = (c: Captured): Point => (c.operation === 'post' ? (c.body as Point[])[0] as Point : c.body as Point);
const configuredPosts = (capture: Capture): Captured[] => capture.requests.filter((r) => r.operation === 'post' && r.headers['x-ms-qps-configuration-etag'] === ETAG);

describe('Live Metrics: the official distro and ours, field by field', () => {
  const captured: Record<'official' | 'ours', Capture | undefined> = { official: undefined, ours: undefined };
  const children: ChildProcess[] = [];
  let tmp = '';

  beforeAll(async () => {
    const cert = await createSelfSignedCert();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lm-contract-'));
    const caFile = path.join(tmp, 'ca.pem');
    fs.writeFileSync(caFile, cert.certPem);
    for (const which of ['official', 'ours'] as const) {
      const capture = await startCapture(cert);
      captured[which] = capture;
      children.push(startApp(which, capture, caFile));
    }
    const enough = await waitFor(() => configuredPosts(captured.official as Capture).length >= 4 && configuredPosts(captured.ours as Capture).length >= 4, 40_000);
    if (!enough) throw new Error(`not enough posts: ${JSON.stringify(Object.fromEntries(Object.entries(captured).map(([k, c]) => [k, c?.requests.length])))}\n${children.map((c) => (c as ChildProcess & { output: string[] }).output.join('')).join('\n---\n')}`);
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill();
    await Promise.all(Object.values(captured).map((c) => c?.close()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const official = (): Capture => captured.official as Capture;
  const ours = (): Capture => captured.ours as Capture;

  it('pings, then posts once subscribed, with the same query (ikey, api-version)', () => {
    for (const capture of [official(), ours()]) {
      expect(capture.requests[0]?.operation).toBe('ping');
      expect(capture.requests.some((r) => r.operation === 'post')).toBe(true);
      for (const r of capture.requests) expect(r.query).toEqual({ ikey: IKEY, 'api-version': '2024-04-01-preview' });
    }
  });

  it('sends the x-ms-qps headers of the official client, the configuration ETag (\'\' before one applies) included', () => {
    expect(qpsHeaders(ours().requests[0] as Captured)).toEqual(expect.arrayContaining(qpsHeaders(official().requests[0] as Captured)));
    for (const capture of [official(), ours()]) expect(capture.requests[0]?.headers['x-ms-qps-configuration-etag']).toBe('');
    const postOfficial = qpsHeaders(configuredPosts(official())[0] as Captured);
    const postOurs = qpsHeaders(configuredPosts(ours())[0] as Captured);
    expect(postOurs).toEqual(expect.arrayContaining(postOfficial));
    for (const capture of [official(), ours()]) {
      expect(configuredPosts(capture)[0]?.headers['x-ms-qps-transmission-time']).toMatch(/^\d{18}$/);
    }
    expect(configuredPosts(ours())[0]?.headers['x-ms-qps-invariant-version'] ?? '5').toBe('5');
  });

  it('posts data points with the official fields, both valid against the spec', () => {
    const a = pointOf(configuredPosts(official())[1] as Captured);
    const b = pointOf(configuredPosts(ours())[1] as Captured);
    expect(Object.keys(b).sort()).toEqual(expect.arrayContaining(Object.keys(a).sort()));
    for (const capture of [official(), ours()]) {
      for (const r of capture.requests) {
        expect(validateAgainstLiveMetricsSpec(r.operation === 'post' ? pointOf(r) : r.body, 'MonitoringDataPoint')).toEqual([]);
      }
    }
    expect(b.InvariantVersion).toBe(a.InvariantVersion);
    expect(b.RoleName).toBe(a.RoleName);
    expect(b.IsWebApp).toBe(a.IsWebApp);
    expect(b.PerformanceCollectionSupported).toBe(a.PerformanceCollectionSupported);
  });

  it('posts every metric name the official client posts, and the derived metric as {Name: Id, Value, Weight: 1}', () => {
    const names = (c: Capture): string[] => [...new Set(configuredPosts(c).flatMap((r) => (pointOf(r).Metrics ?? []).map((m) => m.Name)))].sort();
    expect(names(ours())).toEqual(expect.arrayContaining(names(official())));
    for (const capture of [official(), ours()]) {
      const derived = configuredPosts(capture).map((r) => (pointOf(r).Metrics ?? []).find((m) => m.Name === 'failed-requests'));
      expect(derived.every((m) => m !== undefined && m.Weight === 1)).toBe(true);
      expect(derived.some((m) => (m?.Value ?? 0) > 0)).toBe(true);
    }
  });

  it('sends only the documents the stream asks for, with its id, shaped alike', () => {
    const requestDocuments = (c: Capture): Record<string, unknown>[] =>
      configuredPosts(c).flatMap((r) => pointOf(r).Documents ?? []).filter((d) => d['DocumentType'] === 'Request');
    for (const capture of [official(), ours()]) {
      const documents = requestDocuments(capture);
      expect(documents.length).toBeGreaterThan(0);
      expect(documents.every((d) => String(d['Url']).endsWith('/cart'))).toBe(true);
      expect(documents.every((d) => JSON.stringify(d['DocumentStreamIds']) === '["slow-requests"]')).toBe(true);
      expect(documents.every((d) => /^PT\d+(\.\d+)?S$/.test(String(d['Duration'])))).toBe(true);
    }
    const keys = (c: Capture): string[] => Object.keys(requestDocuments(c)[0] ?? {}).sort();
    expect(keys(ours())).toEqual(keys(official()));
    const first = (c: Capture): Record<string, unknown> => requestDocuments(c)[0] ?? {};
    for (const field of ['Name', 'Url', 'ResponseCode', 'Duration']) expect([field, first(ours())[field]]).toEqual([field, first(official())[field]]);
  });

  it('differs only where docs/live-metrics.md says so', () => {
    const only = (mine: string[], theirs: string[]): { ours: string[]; official: string[] } => ({
      ours: mine.filter((k) => !theirs.includes(k)).sort(), official: theirs.filter((k) => !mine.includes(k)).sort(),
    });
    const pingOf = (c: Capture): Captured => c.requests.find((r) => r.operation === 'ping') as Captured;
    const postOf = (c: Capture): Captured => configuredPosts(c)[1] as Captured;
    const metricNames = (c: Capture): string[] => [...new Set(configuredPosts(c).flatMap((r) => (pointOf(r).Metrics ?? []).map((m) => m.Name)))];
    const documentKeys = (c: Capture): Record<string, string[]> => {
      const byType: Record<string, Set<string>> = {};
      for (const d of configuredPosts(c).flatMap((r) => pointOf(r).Documents ?? [])) {
        for (const k of Object.keys(d)) (byType[String(d['DocumentType'])] ??= new Set()).add(k);
      }
      return Object.fromEntries(Object.entries(byType).map(([t, keys]) => [t, [...keys].sort()]));
    };
    const differences = {
      pingHeaders: only(qpsHeaders(pingOf(ours())), qpsHeaders(pingOf(official()))),
      postHeaders: only(qpsHeaders(postOf(ours())), qpsHeaders(postOf(official()))),
      pingBody: only(Object.keys(pingOf(ours()).body as object), Object.keys(pingOf(official()).body as object)),
      postBody: only(Object.keys(pointOf(postOf(ours()))), Object.keys(pointOf(postOf(official())))),
      metricNames: only(metricNames(ours()), metricNames(official())),
      documentTypes: only(Object.keys(documentKeys(ours())), Object.keys(documentKeys(official()))),
      documentKeys: Object.fromEntries(Object.keys(documentKeys(official())).map((t) => [t, only(documentKeys(ours())[t] ?? [], documentKeys(official())[t] ?? [])])),
    };
    const none = { ours: [], official: [] };
    expect(differences).toEqual({
      // The spec's identity headers: we send them on every request (as the .NET SDK); the official
      // client leaves them to the ping body and sends none on posts.
      pingHeaders: { ours: IDENTITY_HEADERS, official: [] },
      postHeaders: { ours: IDENTITY_HEADERS, official: [] },
      // The spec's optional Timestamp: we put it in pings too.
      pingBody: { ours: ['Timestamp'], official: [] },
      postBody: none,
      metricNames: none,
      documentTypes: none,
      documentKeys: { Request: none, RemoteDependency: none, Exception: none, Trace: none },
    });
    // Values: the official client writes a dependency's result code as "NaN" and its command as ''
    // when the span uses the current semantic conventions; ours are those of the stored item.
    const dependency = (c: Capture): Record<string, unknown> | undefined =>
      configuredPosts(c).flatMap((r) => pointOf(r).Documents ?? []).find((d) => d['DocumentType'] === 'RemoteDependency');
    expect(dependency(ours())).toMatchObject({ Name: 'SELECT orders', CommandName: 'SELECT * FROM orders', ResultCode: '0', Duration: 'PT0.015S' });
    expect(dependency(official())).toMatchObject({ Name: 'SELECT orders', Duration: 'PT0.015S' });
  });

  it('posts CollectionConfigurationErrors as the official client does (none for this configuration)', () => {
    for (const capture of [official(), ours()]) {
      expect(configuredPosts(capture).every((r) => JSON.stringify(pointOf(r)['CollectionConfigurationErrors']) === '[]')).toBe(true);
    }
  });
});
