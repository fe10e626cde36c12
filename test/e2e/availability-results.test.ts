// Availability results and legacy page views, end to end: the real log exporter and SDK, the
// emulator's `availabilityResults` and `pageViews` tables, and KQL over them (issue 14).
import type { TokenCredential } from '@azure/core-auth';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { AzureMonitorLogExporter } from '@appinsights-otel/exporter-logs';
import { startEmulator } from '@appinsights-otel/emulator';
import type { EmulatorHandle, QueryResponse } from '@appinsights-otel/emulator';

const column = (result: QueryResponse, name: string): unknown[] => {
  const table = result.tables[0] as QueryResponse['tables'][number];
  const index = table.columns.findIndex((c) => c.name === name);
  expect(index).toBeGreaterThanOrEqual(0);
  return table.rows.map((row) => row[index]);
};

describe('availability results through the log exporter and the emulator', () => {
  let emu: EmulatorHandle;
  let provider: LoggerProvider;

  beforeAll(async () => {
    emu = await startEmulator();
    const credential: TokenCredential = {
      getToken: async () => ({ token: emu.issueToken({ identity: 'ci-principal' }), expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const { instrumentationKey } = emu.resource();
    const exporter = new AzureMonitorLogExporter({
      connectionString: `InstrumentationKey=${instrumentationKey};IngestionEndpoint=${emu.ingestionUrl}/`, credential, disableOfflineStorage: true,
    });
    provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger('availability');
    const availability = (id: string, success: boolean | string, message: string) => ({
      'microsoft.availability.id': id, 'microsoft.availability.name': 'Homepage', 'microsoft.availability.duration': '00:00:00.250',
      'microsoft.availability.success': success, 'microsoft.availability.runLocation': 'westus2', 'microsoft.availability.message': message,
    });
    logger.emit({ body: 'ok', attributes: { ...availability('run-1', true, 'HTTP 200'), region: 'eu', 'microsoft.custom_measurements': '{"bytes": 512}' } });
    logger.emit({ body: 'failed', attributes: availability('run-2', 'False', 'HTTP 503') });
    logger.emit({ body: { id: 'pv-1', name: 'Home', url: 'https://shop/', duration: '00:00:01.500', version: 2 }, attributes: { '_MS.baseType': 'PageViewData' } });
    await provider.forceFlush();
  });
  afterAll(async () => {
    await provider.shutdown();
    await emu.close();
  });

  it('stores availability results in availabilityResults with the Application Insights columns', () => {
    const items = emu.items('availabilityResults');
    expect(items).toHaveLength(2);
    expect(items.find((i) => i['id'] === 'run-1')).toMatchObject({
      name: 'Homepage', location: 'westus2', success: true, message: 'HTTP 200', duration: 250, performanceBucket: '250ms-500ms',
      customDimensions: { region: 'eu', 'log.body': 'ok' }, customMeasurements: { bytes: 512 }, itemType: 'availabilityResult',
    });
  });

  it('answers KQL over availabilityResults', () => {
    const failed = emu.query('availabilityResults | where success == false | project id, location, message', { timespan: 'PT1H' });
    expect(column(failed, 'id')).toEqual(['run-2']);
    expect(column(failed, 'message')).toEqual(['HTTP 503']);
    const byName = emu.query('availabilityResults | summarize runs = count() by name', { timespan: 'PT1H' });
    expect(column(byName, 'runs')).toEqual([2]);
  });

  it('stores legacy page views in pageViews', () => {
    const views = emu.query('pageViews | project name, url, duration', { timespan: 'PT1H' });
    expect(column(views, 'name')).toEqual(['Home']);
    expect(column(views, 'duration')).toEqual([1500]);
  });
});
