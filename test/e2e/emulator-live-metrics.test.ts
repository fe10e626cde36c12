// The emulator's Live Metrics endpoint: Entra enforcement like ingestion, subscribe control, records;
// and the performanceCounters table for MetricData named like a performance counter.
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';

const POINT = { Version: 'test', InvariantVersion: 5, Instance: 'i', RoleName: 'r', MachineName: 'm', StreamId: 's1', Timestamp: new Date().toISOString(), IsWebApp: false, PerformanceCollectionSupported: true };

describe('emulator Live Metrics endpoint', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());
  afterEach(() => { emu.liveMetrics.unsubscribe(); emu.liveMetrics.clear(); });

  const url = (op: 'ping' | 'post', ikey = emu.resource().instrumentationKey): string =>
    `${emu.ingestionUrl}/QuickPulseService.svc/${op}?ikey=${ikey}&api-version=2024-04-01-preview`;
  const send = (op: 'ping' | 'post', token: string | undefined, body: unknown = op === 'ping' ? POINT : [POINT], ikey?: string): Promise<Response> =>
    fetch(url(op, ikey), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ms-qps-stream-id': 's1', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it.each([
    ['no token on an Entra-only resource', () => undefined, 400, /Authentication not supported/],
    ['a token for the wrong audience', () => emu.issueToken({ identity: 'ci-principal', audience: 'https://api.applicationinsights.io' }), 401, /audience/],
    ['an expired token', () => emu.issueToken({ identity: 'ci-principal', expired: true }), 401, /expired/],
    ['an identity without Monitoring Metrics Publisher', () => emu.issueToken({ identity: 'no-role' }), 403, /lacks the Monitoring Metrics Publisher role/],
  ])('refuses %s like ingestion', async (_what, token, status, message) => {
    const res = await send('ping', token());
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    expect(emu.liveMetrics.received()).toEqual([expect.objectContaining({ operation: 'ping', status, dataPoints: [] })]);
  });

  it('answers an unknown instrumentation key with 400', async () => {
    const res = await send('ping', emu.issueToken({ identity: 'ci-principal' }), POINT, '00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(400);
  });

  it('says subscribed only while a test subscribes, and records what it received', async () => {
    const token = emu.issueToken({ identity: 'ci-principal' });
    const before = await send('ping', token);
    expect(before.status).toBe(200);
    expect(before.headers.get('x-ms-qps-subscribed')).toBe('false');
    emu.liveMetrics.subscribe();
    const after = await send('post', token, [{ ...POINT, Metrics: [{ Name: '\\ApplicationInsights\\Requests/Sec', Value: 3, Weight: 1 }] }]);
    expect(after.headers.get('x-ms-qps-subscribed')).toBe('true');
    const posts = emu.liveMetrics.received('post');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 200, subscribed: true, streamId: 's1', objectId: emu.identity('ci-principal').objectId });
    expect(posts[0]?.dataPoints[0]?.Metrics).toEqual([{ Name: '\\ApplicationInsights\\Requests/Sec', Value: 3, Weight: 1 }]);
  });

  it('sends the polling-interval hint and endpoint redirect when asked to', async () => {
    emu.liveMetrics.setPollingIntervalHint(2_000);
    emu.liveMetrics.redirectTo(`${emu.ingestionUrl}/moved`);
    try {
      const res = await send('ping', emu.issueToken({ identity: 'ci-principal' }));
      expect(res.headers.get('x-ms-qps-service-polling-interval-hint')).toBe('2000');
      expect(res.headers.get('x-ms-qps-service-endpoint-redirect-v2')).toBe(`${emu.ingestionUrl}/moved`);
    } finally {
      emu.liveMetrics.setPollingIntervalHint(undefined);
      emu.liveMetrics.redirectTo(undefined);
    }
  });

  it('lets a loopback client subscribe and read records through /admin/live-metrics', async () => {
    const admin = `${emu.ingestionUrl}/admin/live-metrics`;
    expect((await fetch(admin, { method: 'POST', body: JSON.stringify({ subscribed: true }) })).status).toBe(200);
    expect(emu.liveMetrics.isSubscribed()).toBe(true);
    expect((await fetch(admin, { method: 'POST', body: '{"subscribed":"yes"}' })).status).toBe(400);
    await send('ping', emu.issueToken({ identity: 'ci-principal' }));
    const listed = (await (await fetch(admin)).json()) as { received: unknown[] };
    expect(listed.received).toHaveLength(1);
  });

  it.each([
    ['no api-version', (u: string) => u.replace(/&api-version=[^&]*/, ''), /api-version query parameter is required/],
    ['an unknown api-version', (u: string) => u.replace('2024-04-01-preview', '2023-01-01'), /unsupported api-version '2023-01-01'/],
  ])('answers %s with 400 and the spec\'s ServiceError', async (_what, edit, message) => {
    const res = await fetch(edit(url('ping')), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(POINT) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ RequestId: expect.any(String), ResponseDateTime: expect.any(String), Code: 'InvalidApiVersion', Message: expect.stringMatching(message), Exception: '' });
  });

  it.each([
    ['a post that is not an array', 'post', POINT, /must be an array of MonitoringDataPoint/],
    ['a document Duration that is not ISO 8601', 'post', [{ ...POINT, Documents: [{ DocumentType: 'Request', Name: 'GET /', Duration: '00:00:00.0350000' }] }], /Duration must be an ISO 8601 duration/],
    ['an unknown DocumentType', 'post', [{ ...POINT, Documents: [{ DocumentType: 'PageView' }] }], /DocumentType must be one of/],
    ['a metric of the wrong type', 'post', [{ ...POINT, Metrics: [{ Name: 'x', Value: 'high', Weight: 1 }] }], /Metrics\[0\]\.Value must be a number/],
    ['a ping without its required fields', 'ping', { Version: 'x' }, /InvariantVersion is required/],
  ] as const)('refuses %s with 400, naming the field, and records why', async (_what, op, body, problem) => {
    const res = await send(op, emu.issueToken({ identity: 'ci-principal' }), body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Message: string }).Message).toMatch(problem);
    expect(emu.liveMetrics.received()[0]?.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('serves a configured CollectionConfigurationInfo with its ETag, and records the ETag each SDK request sends', async () => {
    const configuration = {
      Metrics: [{ Id: 'failed-orders', TelemetryType: 'Request', FilterGroups: [{ Filters: [{ FieldName: 'Success', Predicate: 'Equal', Comparand: 'false' }] }], Projection: 'Count()', Aggregation: 'Sum', BackEndAggregation: 'Sum' }],
      DocumentStreams: [],
    };
    const etag = emu.liveMetrics.setConfiguration(configuration);
    try {
      expect(etag).toMatch(/^".+"$/);
      const token = emu.issueToken({ identity: 'ci-principal' });
      const res = await fetch(url('ping'), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-ms-qps-configuration-etag': 'old' }, body: JSON.stringify(POINT) });
      expect(res.headers.get('x-ms-qps-configuration-etag')).toBe(etag);
      expect(await res.json()).toEqual({ ...configuration, ETag: etag });
      expect(emu.liveMetrics.received()[0]?.configurationEtag).toBe('old');
      expect(() => emu.liveMetrics.setConfiguration({ ...configuration, Metrics: [{ ...configuration.Metrics[0]!, Aggregation: 'Median' }] })).toThrow(/Aggregation must be one of Avg, Sum, Min, Max/);
    } finally {
      emu.liveMetrics.setConfiguration(undefined);
    }
    const empty = await send('ping', emu.issueToken({ identity: 'ci-principal' }));
    expect(empty.headers.get('x-ms-qps-configuration-etag')).toBe('');
    expect(await empty.json()).toEqual({ ETag: '', Metrics: [], DocumentStreams: [], QuotaInfo: null });
  });

  it('lets a loopback client set, read and clear the configuration through /admin/live-metrics/configuration', async () => {
    const admin = `${emu.ingestionUrl}/admin/live-metrics/configuration`;
    const configuration = { ETag: 'v7', Metrics: [], DocumentStreams: [{ Id: 'errors', DocumentFilterGroups: [{ TelemetryType: 'Exception', Filters: { Filters: [] } }] }] };
    const put = await fetch(admin, { method: 'PUT', body: JSON.stringify(configuration) });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ ETag: 'v7' });
    expect(await (await fetch(admin)).json()).toEqual(configuration);
    const bad = await fetch(admin, { method: 'PUT', body: JSON.stringify({ Metrics: 'none' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/Metrics must be an array/);
    expect((await fetch(admin, { method: 'DELETE' })).status).toBe(200);
    expect(emu.liveMetrics.configuration()).toMatchObject({ ETag: '', Metrics: [], DocumentStreams: [] });
  });

  it('stores MetricData named like a performance counter in performanceCounters, and queries it back', async () => {
    const token = emu.issueToken({ identity: 'ci-principal' });
    const metric = (name: string, value: number): unknown => ({
      ver: 1, name: 'Microsoft.ApplicationInsights.Metric', time: new Date().toISOString(), iKey: emu.resource().instrumentationKey, tags: {},
      data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [{ name, kind: 'Measurement', value }] } },
    });
    const res = await fetch(`${emu.ingestionUrl}/v2.1/track`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([metric('\\Processor(_Total)\\% Processor Time', 12.5), metric('\\Memory\\Available Bytes', 1024), metric('custom.thing', 1)]),
    });
    expect(res.status).toBe(200);
    expect(emu.items('performanceCounters')).toEqual([
      expect.objectContaining({ name: '% Processor Time', category: 'Processor', counter: '% Processor Time', instance: '_Total', value: 12.5, itemType: 'performanceCounter' }),
      expect.objectContaining({ name: 'Available Bytes', category: 'Memory', counter: 'Available Bytes', instance: '', value: 1024 }),
    ]);
    expect(emu.items('customMetrics')).toEqual([expect.objectContaining({ name: 'custom.thing' })]);
    const result = emu.query('performanceCounters | where category == "Processor" | project counter, value');
    expect(result.tables[0]?.rows).toEqual([['% Processor Time', 12.5]]);
  });
});
