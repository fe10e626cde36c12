// Query API: auth (audience api.applicationinsights.io + Reader), response shape, KQL subset over HTTP.
import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type EmulatorHandle, type QueryResponse } from '@appinsights-otel/emulator';
import { envelope, postItems, requestEnvelope, send } from '../../packages/emulator/test/helpers/envelopes';

const QUERY_AUDIENCE = 'https://api.applicationinsights.io';
// Column names of `requests`, in order, from the example response of the Microsoft article
// "Query Application Insights using Microsoft Entra authentication" (shared/seed).
const SEED_REQUEST_COLUMNS = [
  'timestamp', 'id', 'source', 'name', 'url', 'success', 'resultCode', 'duration', 'performanceBucket', 'customDimensions',
  'customMeasurements', 'operation_Name', 'operation_Id', 'operation_ParentId', 'operation_SyntheticSource', 'session_Id', 'user_Id',
  'user_AuthenticatedId', 'user_AccountId', 'application_Version', 'client_Type', 'client_Model', 'client_OS', 'client_IP', 'client_City',
  'client_StateOrProvince', 'client_CountryOrRegion', 'client_Browser', 'cloud_RoleName', 'cloud_RoleInstance', 'appId', 'appName', 'iKey',
  'sdkVersion', 'itemId', 'itemType', 'itemCount',
];

describe('emulator query API', () => {
  let emu: EmulatorHandle;
  let reader: string;
  let url: string;

  beforeAll(async () => {
    emu = await startEmulator();
    // The first query loads Kusto.Language, blocking the event loop for seconds (more on a busy
    // machine): do it before any keep-alive socket sits idle, which the server would then reset.
    emu.query('requests | take 1');
    reader = emu.issueToken({ identity: 'ci-principal', audience: QUERY_AUDIENCE });
    url = `${emu.queryEndpoint}/v1/apps/${emu.resource().applicationId}/query`;
    const k = emu.resource().instrumentationKey;
    const ago = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();
    const res = await postItems(`${emu.ingestionUrl}/v2.1/track`, [
      requestEnvelope(k, { name: 'GET /cart', duration: '00:00:00.100', responseCode: '200' }, ago(1)),
      requestEnvelope(k, { name: 'GET /cart', duration: '00:00:00.300', responseCode: '500', success: false }, ago(2)),
      requestEnvelope(k, { name: 'POST /pay', duration: '00:00:00.050', responseCode: '201' }, ago(30)),
      requestEnvelope(k, { name: 'GET /old', duration: '00:00:00.010', responseCode: '200' }, ago(30 * 60)), // outside P1D, inside the service's 48-hour ingestion window
      envelope(k, 'MessageData', { message: 'hello', severityLevel: 'Warning' }, ago(1)),
    ], { token: emu.issueToken({ identity: 'ci-principal' }) });
    expect(res.status).toBe(200);
  }, 120_000);
  afterAll(() => emu.close());

  const post = (query: string, token = reader, search = '?timespan=P1D') =>
    send(`${url}${search}`, { body: JSON.stringify({ query }), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
  const table = (r: { json<T>(): T }) => r.json<QueryResponse>().tables[0] as QueryResponse['tables'][number];
  const column = (r: { json<T>(): T }, name: string): unknown[] => {
    const t = table(r);
    const i = t.columns.findIndex((c) => c.name === name);
    return t.rows.map((row) => row[i]);
  };

  it('requests | take 10 returns PrimaryResult with the seed article column set', async () => {
    const res = await post('requests | take 10');
    expect(res.status).toBe(200);
    const body = res.json<QueryResponse>();
    expect(body.tables.map((t) => t.name)).toEqual(['PrimaryResult']);
    expect(table(res).columns.map((c) => c.name)).toEqual(SEED_REQUEST_COLUMNS);
    // success is a string column, as the query API's schema (query-schema.json of its REST spec) types it
    expect(table(res).columns.slice(0, 8).map((c) => c.type)).toEqual(['datetime', 'string', 'string', 'string', 'string', 'string', 'string', 'real']);
    expect(table(res).rows).toHaveLength(3); // timespan=P1D leaves out the 3-day-old request
    expect(table(res).rows[0]?.[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('works with a token from the real ClientSecretCredential', async () => {
    const sp = emu.servicePrincipal('ci-principal');
    const credential = new ClientSecretCredential(sp.tenantId, sp.clientId, sp.clientSecret, { authorityHost: sp.authorityHost, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
    const token = await credential.getToken(`${QUERY_AUDIENCE}/.default`);
    expect((await post('requests | count', token?.token)).json()).toEqual({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'Count', type: 'long' }], rows: [[3]] }] });
  });

  it('accepts GET with ?query= and the timespan in the body', async () => {
    const res = await send(`${url}?query=${encodeURIComponent('traces | project message, severityLevel')}&timespan=PT1H`, { method: 'GET', headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(200);
    expect(table(res).rows).toEqual([['hello', 2]]);
    const all = await send(url, { body: JSON.stringify({ query: 'requests | count', timespan: 'P7D' }), headers: { authorization: `Bearer ${reader}` } });
    expect(column(all, 'Count')).toEqual([4]);
  });

  it.each([
    ['where', 'requests | where resultCode == "500" | project name', 'name', ['GET /cart']],
    ['where ago()', 'requests | where timestamp > ago(5m) | project name', 'name', ['GET /cart', 'GET /cart']],
    ['project', 'requests | project name, ms = duration | take 1', 'ms', [100]],
    ['extend', 'requests | extend seconds = duration / 1000 | take 1', 'seconds', [0.1]],
    ['take', 'requests | take 2', 'name', ['GET /cart', 'GET /cart']],
    ['limit', 'requests | limit 1', 'name', ['GET /cart']],
    ['top', 'requests | top 1 by duration desc', 'duration', [300]],
    ['order by', 'requests | order by duration asc', 'duration', [50, 100, 300]],
    ['sort by', 'requests | sort by duration', 'duration', [300, 100, 50]],
    ['summarize', 'requests | summarize n = count(), avg(duration) by name | order by n', 'n', [2, 1]],
    // binned by age, not by calendar day, so the answer does not depend on the time of day the test runs
    ['summarize bin()', 'requests | summarize count() by bin(now() - timestamp, 1d)', 'count_', [3]],
    ['count', 'requests | count', 'Count', [3]],
    ['top-nested', 'requests | top-nested 1 of name by count()', 'aggregated_name', [2]],
    ['range', 'range x from 1 to 3 step 1', 'x', [1, 2, 3]],
  ])('%s over HTTP', async (_op, query, name, expected) => {
    const res = await post(query);
    expect(res.status).toBe(200);
    expect(column(res, name)).toEqual(expected);
  });

  it.each([
    ['requests | evaluate bag_unpack(customDimensions)', 'SemanticError', 'UnsupportedByEmulator', "'evaluate'"],
    ['requests | facet by name', 'SemanticError', 'UnsupportedByEmulator', "Query operator 'facet'"],
    ['unknownTable | take 1', 'SemanticError', 'SEM0100', "'unknownTable'"],
    ['requests | whre name', 'SyntaxError', 'SYN0002', 'Query could not be parsed'],
  ])('answers 400 BadArgumentError, nested as documented, for %s', async (query, kind, code, fragment) => {
    const res = await post(query);
    expect(res.status).toBe(400);
    const body = res.json<{ error: { code: string; message: string; innererror: { code: string; message: string; innererror: { code: string; message: string } } } }>();
    expect(body.error).toMatchObject({ code: 'BadArgumentError', message: 'The request had some invalid properties', innererror: { code: kind, innererror: { code } } });
    expect(body.error.innererror.innererror.message).toContain(fragment);
  });

  it.each([
    ['join on operation_Id', 'requests | join kind=inner (traces | project operation_Id, message) on operation_Id | count', 'Count', [0]],
    ['make-series', 'requests | make-series n = count() default = 0 on timestamp from ago(1h) to now() step 1h | project total = array_length(n)', 'total', [1]],
    ['matches regex', 'requests | where name matches regex "^GET /c.*" | count', 'Count', [2]],
    ['success as the API types it', 'requests | where success == false | project success', 'success', ['False']],
  ])('runs %s over HTTP', async (_name, query, name, expected) => {
    const res = await post(query);
    expect(res.status).toBe(200);
    expect(column(res, name)).toEqual(expected);
  });

  it('returns the render hint when the request prefers include-render', async () => {
    const query = 'requests | summarize count() by bin(timestamp, 1h) | render timechart';
    const plain = await post(query);
    expect(plain.json<QueryResponse>().render).toBeUndefined();
    const res = await send(`${url}?timespan=P1D`, { body: JSON.stringify({ query }), headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}`, prefer: 'include-render=true' } });
    expect(res.status).toBe(200);
    expect(res.json<QueryResponse>().render).toMatchObject({ visualization: 'timechart' });
  });

  it('answers 400 for a missing query and a bad timespan', async () => {
    expect((await send(url, { body: '{}', headers: { authorization: `Bearer ${reader}` } })).status).toBe(400);
    expect((await post('requests', reader, '?timespan=yesterday')).status).toBe(400);
  });

  it.each([
    ['no token', undefined],
    ['an ingestion-audience token', 'ingestion'],
    ['an expired token', 'expired'],
  ])('answers 401 for %s', async (_name, kind) => {
    const token = kind === 'ingestion' ? emu.issueToken({ identity: 'ci-principal' })
      : kind === 'expired' ? emu.issueToken({ identity: 'ci-principal', audience: QUERY_AUDIENCE, expired: true }) : undefined;
    const res = await send(url, { body: JSON.stringify({ query: 'requests' }), headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
  });

  it('answers 403 for an identity without Reader', async () => {
    const res = await post('requests | take 1', emu.issueToken({ identity: 'no-role', audience: QUERY_AUDIENCE }));
    expect(res.status).toBe(403);
    expect(res.json<{ error: { code: string; message: string } }>().error.message).toContain('Reader');
  });

  it('answers 404 for an unknown application id', async () => {
    const res = await send(`${emu.queryEndpoint}/v1/apps/00000000-0000-4000-8000-000000000000/query`, { body: '{"query":"requests"}', headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(404);
  });

  it('the programmatic query() matches the HTTP answer', async () => {
    expect(emu.query('requests | summarize count()', { timespan: 'P1D' })).toEqual((await post('requests | summarize count()')).json());
  });
});
