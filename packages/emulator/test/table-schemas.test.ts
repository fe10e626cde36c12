// The classic tables against the column lists the query API documents: the `query-schema.json`
// example of the Application Insights data-plane REST spec (Azure/azure-rest-api-specs,
// specification/applicationinsights/data-plane/microsoft.insights/v1/examples/query-schema.json).
import { startEmulator, type EmulatorHandle } from '../src/start-emulator';
import { DEFAULT_IDS } from '../src/config/emulator-config';
import { TABLE_NAMES, TABLE_SCHEMAS } from '../src/storage/table-schemas';
import { SCHEMA_DEVIATIONS } from '../src/storage/classic-table-schemas';
import { envelope, postItems } from './helpers/envelopes';

const CONTEXT = [
  'operation_Name', 'operation_Id', 'operation_ParentId', 'operation_SyntheticSource', 'session_Id', 'user_Id', 'user_AuthenticatedId',
  'user_AccountId', 'application_Version', 'client_Type', 'client_Model', 'client_OS', 'client_IP', 'client_City', 'client_StateOrProvince',
  'client_CountryOrRegion', 'client_Browser', 'cloud_RoleName', 'cloud_RoleInstance', 'appId', 'appName', 'iKey', 'sdkVersion', 'itemId', 'itemType',
].map((n) => `${n}:string`);
const DIMENSIONS = ['customDimensions:dynamic', 'customMeasurements:dynamic'];

const DOCUMENTED: Record<string, string[]> = {
  traces: ['timestamp:datetime', 'message:string', 'severityLevel:int', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  customEvents: ['timestamp:datetime', 'name:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  pageViews: ['timestamp:datetime', 'name:string', 'url:string', 'duration:real', 'performanceBucket:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  requests: ['timestamp:datetime', 'id:string', 'source:string', 'name:string', 'url:string', 'success:string', 'resultCode:string', 'duration:real', 'performanceBucket:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  dependencies: ['timestamp:datetime', 'id:string', 'target:string', 'type:string', 'name:string', 'data:string', 'success:string', 'resultCode:string', 'duration:real', 'performanceBucket:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  exceptions: [
    'timestamp:datetime', 'problemId:string', 'handledAt:string', 'type:string', 'message:string', 'assembly:string', 'method:string', 'outerType:string',
    'outerMessage:string', 'outerAssembly:string', 'outerMethod:string', 'innermostType:string', 'innermostMessage:string', 'innermostAssembly:string',
    'innermostMethod:string', 'severityLevel:int', 'details:dynamic', ...DIMENSIONS, ...CONTEXT, 'itemCount:real',
  ],
  availabilityResults: ['timestamp:datetime', 'id:string', 'name:string', 'location:string', 'success:string', 'message:string', 'size:real', 'duration:real', 'performanceBucket:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real'],
  customMetrics: ['timestamp:datetime', 'name:string', 'value:real', 'valueCount:int', 'valueSum:real', 'valueMin:real', 'valueMax:real', 'valueStdDev:real', 'customDimensions:dynamic', ...CONTEXT],
  // value is System.String in the example; the emulator types it real (see SCHEMA_DEVIATIONS)
  performanceCounters: ['timestamp:datetime', 'name:string', 'category:string', 'counter:string', 'instance:string', 'value:real', 'customDimensions:dynamic', ...CONTEXT],
  browserTimings: [
    'timestamp:datetime', 'name:string', 'url:string', 'networkDuration:real', 'sendDuration:real', 'receiveDuration:real', 'processingDuration:real',
    'totalDuration:real', 'performanceBucket:string', ...DIMENSIONS, ...CONTEXT, 'itemCount:real',
  ],
};

describe('classic table schemas', () => {
  it('has exactly the documented tables', () => {
    expect([...TABLE_NAMES].sort()).toEqual(Object.keys(DOCUMENTED).sort());
  });

  it.each(Object.entries(DOCUMENTED))('%s has the documented columns, in order, with their types', (table, columns) => {
    expect(TABLE_SCHEMAS[table as keyof typeof TABLE_SCHEMAS].map((c) => `${c.name}:${c.type}`)).toEqual(columns);
  });

  it('names its one deviation from the source, with the reason', () => {
    expect(Object.keys(SCHEMA_DEVIATIONS)).toEqual(['performanceCounters.value']);
  });

  describe('values as the query API types them', () => {
    let emu: EmulatorHandle;
    beforeAll(async () => {
      emu = await startEmulator();
      const k = DEFAULT_IDS.instrumentationKey;
      const time = '2026-01-01T11:59:00.000Z';
      const res = await postItems(`${emu.ingestionUrl}/v2.1/track`, [
        envelope(k, 'RequestData', { id: 'r1', name: 'GET /a', duration: '00:00:01.5000000', responseCode: '200', success: true, url: 'http://x/a', properties: { tier: 'gold' } }, time),
        envelope(k, 'RemoteDependencyData', { id: 'd1', name: 'SELECT', duration: '00:00:00.0200000', resultCode: '0', success: false, type: 'SQL', target: 'db' }, time),
        envelope(k, 'MetricData', { metrics: [{ name: 'queue', value: 3, count: 1 }, { name: '\\Processor(_Total)\\% Processor Time', value: 40, count: 1 }] }, time),
      ], { token: emu.issueToken({ identity: 'ci-principal' }) });
      expect(res.status).toBe(200);
    }, 120_000); // the emulator loads Kusto.Language once it listens: seconds on a busy machine
    afterAll(() => emu.close());

    const rowOf = (query: string): Record<string, unknown> => {
      const t = emu.query(query).tables[0];
      return Object.fromEntries((t?.columns ?? []).map((c, i) => [c.name, t?.rows[0]?.[i]]));
    };

    it.each([
      ['requests', { timestamp: '2026-01-01T11:59:00.000Z', success: 'True', duration: 1500, itemCount: 1, resultCode: '200', customDimensions: '{"tier":"gold"}', performanceBucket: '1sec-3sec', itemType: 'request', operation_Name: '' }],
      ['dependencies', { success: 'False', duration: 20, type: 'SQL', itemType: 'dependency' }],
      ['customMetrics', { name: 'queue', value: 3, valueCount: 1, itemType: 'customMetric' }],
      ['performanceCounters', { category: 'Processor', counter: '% Processor Time', instance: '_Total', value: 40, itemType: 'performanceCounter' }],
    ])('%s', (table, expected) => {
      const row = rowOf(`${table} | take 1`);
      expect(row).toMatchObject(expected);
      if (table === 'customMetrics' || table === 'performanceCounters') expect(row).not.toHaveProperty('itemCount');
    });
  });
});
