import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, runNode, useAppEmulator } from '../fixtures/apps/run-node';
import { queryRows } from '../fixtures/apps/query-rows';
import { usePgliteServer } from '../fixtures/apps/use-pglite-server';

/**
 * The request filter end to end (issue 23): in an express + fetch + pg + winston + pino app, a
 * filtered health check (a Kubernetes probe) leaves no item at all in the emulator, whether the
 * filter decides when the request starts (health probes) or when it ends (route), and the
 * unfiltered GET /orders/:id keeps all of its items; standard metrics still count the filtered request.
 */
describe('filterRequests in a real app (express + fetch + pg + winston + pino)', () => {
  const emulator = useAppEmulator();
  const pg = usePgliteServer();

  const query = (kql: string): Record<string, unknown>[] => queryRows(emulator, kql);

  /** Runs the app, the filter given as the option (`FILTER_REQUESTS`) or in the configuration file. */
  async function runApp(filter: { option?: object; file?: object } | undefined): Promise<number> {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/operation-name/app.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
      PG_ADDRESS: pg.address(),
      ...(filter?.option !== undefined ? { FILTER_REQUESTS: JSON.stringify(filter.option) } : {}),
      ...(filter?.file !== undefined ? { APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ filterRequests: filter.file }) } : {}),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = jsonLines<{ port: number; statuses: number[] }>(run.stdout);
    expect(result).toMatchObject({ statuses: [200, 200] });
    return result!.port;
  }

  const TABLES = ['requests', 'dependencies', 'traces', 'exceptions'] as const;

  /** Every item with this operation name, as `table: name-or-message`. */
  function itemsBy(operationName: string): string[] {
    return TABLES.flatMap((table) => query(`${table} | where operation_Name == "${operationName}"`)
      .map((r) => `${table}: ${String(table === 'traces' ? r['message'] : table === 'exceptions' ? r['outerMessage'] : r['name'])}`)).sort();
  }

  it('without a filter, the health check is stored with its express spans and logs (the baseline)', async () => {
    await runApp(undefined);
    expect(itemsBy('GET /health')).toEqual([
      'dependencies: middleware - <anonymous>', 'dependencies: request handler', 'requests: GET /health', 'traces: pino received /health', 'traces: winston health ok',
    ]);
  });

  it.each([
    ['health probes from the configuration file, decided when the request starts', { file: { healthProbes: true } }],
    ['the route as the option, decided when the request ends', { option: { routes: ['/health'] } }],
  ])('a filtered health check leaves no item at all, the orders request keeps all of its items: %s', async (_title, filter) => {
    await runApp(undefined);
    const unfiltered = itemsBy('GET /orders/:id');
    emulator.clearItems();

    await runApp(filter);
    expect(itemsBy('GET /health')).toEqual([]);
    const mentioningHealth = TABLES.flatMap((table) => emulator.items(table).filter((row) => JSON.stringify(row).includes('health')));
    expect(mentioningHealth).toEqual([]);
    expect(itemsBy('GET /orders/:id')).toEqual(unfiltered);
    // the documented choice: standard metrics still count the filtered request (orders, inventory, health)
    const requestDuration = emulator.items('customMetrics').filter((m) => m['name'] === 'requests/duration');
    expect(requestDuration.reduce((n, m) => n + (m['valueCount'] as number), 0)).toBe(3);
    expect(unfiltered).toEqual(expect.arrayContaining([
      'dependencies: load order', 'requests: GET /orders/:id', 'traces: pino order 17 served', 'traces: pino received /orders/17', 'traces: winston order 17 served',
    ]));
  }, 90_000);
});
