import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, requireBuilt, runNode, useAppEmulator } from '../fixtures/apps/run-node';
import { usePgliteServer } from '../fixtures/apps/use-pglite-server';

type Row = Record<string, unknown>;

/** The ids of a row's parent, grandparent, ... (operation_ParentId chain) among `rows`. */
function ancestorIds(row: Row, rows: readonly Row[]): unknown[] {
  const byId = new Map(rows.map((r) => [r['id'], r]));
  const ids: unknown[] = [];
  for (let parent = row['operation_ParentId']; parent !== undefined && parent !== null && !ids.includes(parent); parent = byId.get(parent)?.['operation_ParentId']) {
    ids.push(parent);
  }
  return ids;
}

/**
 * Auto-collection end to end: an app that uses express, global fetch, pg and winston, and names no
 * instrumentation, produces ONE operation in which every call is a dependency, the requests are
 * named by route, and the winston log is correlated; as CommonJS (useAzureMonitor()) and as ES
 * modules (`--import @appinsights-otel/distro/register`). PostgreSQL is real: PGlite (PostgreSQL
 * built to WASM) behind its wire-protocol socket server on loopback, in its own process.
 */
describe('distro auto-collection in a real app (express + fetch + pg + winston)', () => {
  const emulator = useAppEmulator();
  const pg = usePgliteServer();

  const env = (): Record<string, string> => ({
    APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
    ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
    PG_ADDRESS: pg.address(),
  });

  function expectOneCorrelatedOperation(app: 'cjs' | 'esm', port: number): void {
    const requests = emulator.items('requests');
    const dependencies = emulator.items('dependencies');
    const order = requests.find((r) => r['name'] === 'GET /orders/:id');
    const inventory = requests.find((r) => r['name'] === 'GET /inventory/:id');
    expect({ requests: requests.map((r) => r['name']).sort() }).toEqual({ requests: ['GET /inventory/:id', 'GET /orders/:id'] });
    expect(order).toMatchObject({ resultCode: '200', success: true, url: `http://127.0.0.1:${port}/orders/17` });
    const operationId = order!['operation_Id'];

    // fetch() calls: the driver's and the handler's, both HTTP dependencies; the handler's is the
    // parent of the downstream request (traceparent propagated, so it joined the operation)
    const fetches = dependencies.filter((d) => d['type'] === 'Http');
    expect(fetches.map((d) => d['data']).sort()).toEqual([`http://127.0.0.1:${port}/inventory/17`, `http://127.0.0.1:${port}/orders/17`]);
    for (const d of fetches) expect(d).toMatchObject({ target: `127.0.0.1:${port}`, resultCode: '200', success: true });
    const inventoryFetch = fetches.find((d) => String(d['data']).endsWith('/inventory/17'))!;
    expect(inventory!['operation_ParentId']).toBe(inventoryFetch['id']);
    const driverFetch = fetches.find((d) => String(d['data']).endsWith('/orders/17'))!;
    expect(order!['operation_ParentId']).toBe(driverFetch['id']);
    expect(driverFetch['operation_ParentId'] ?? null).toBeNull(); // the operation's root
    expect(ancestorIds(inventoryFetch, [...requests, ...dependencies])).toContain(order!['id']);

    // the query is a postgresql dependency of the order request, targeting the real server
    const queries = dependencies.filter((d) => d['type'] === 'postgresql');
    const select = queries.find((d) => String(d['data']).startsWith('SELECT id, item FROM orders'));
    expect(select).toMatchObject({ success: true });
    expect(String(select!['target'])).toMatch(/^127\.0\.0\.1\b.*postgres/);
    for (const query of queries) expect(ancestorIds(query, [...requests, ...dependencies])).toContain(order!['id']);

    // winston's record is a trace of the same operation
    const log = emulator.items('traces').find((t) => t['message'] === `${app} order 17 served`);
    expect(log).toMatchObject({ operation_Id: operationId });
    expect(ancestorIds(log!, [...requests, ...dependencies])).toContain(order!['id']);

    // ONE operation: every request, dependency and log shares the operation id
    const all: Row[] = [...requests, ...dependencies, ...emulator.items('traces')];
    expect([...new Set(all.map((r) => r['operation_Id']))]).toEqual([operationId]);
    // exporting never traces itself (token and ingestion requests to the emulator)
    expect(dependencies.filter((d) => String(d['target']).includes(String(emulator.port)))).toEqual([]);
  }

  it.each([
    ['cjs', [path.join(REPO_ROOT, 'test/fixtures/apps/full-stack/app.cjs')], {}],
    ['esm', ['--import', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/apps/full-stack/app.mjs')], { APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' }],
  ] as const)('%s app: one operation with route-named requests, HTTP and postgresql dependencies, and the winston log', async (app, args, extraEnv) => {
    const run = await runNode(args, { ...env(), ...extraEnv });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = jsonLines<{ app: string; port: number; status: number; body: { order: unknown; stock: { traceparent: string | null } } }>(run.stdout);
    expect(result).toMatchObject({ app, status: 200, body: { order: { id: 17, item: 'teapot' } } });
    expect(result!.body.stock.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expectOneCorrelatedOperation(app, result!.port);
  }, 90_000);

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg,undici turns PostgreSQL and fetch collection off in the same app', async () => {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/full-stack/app.cjs')], { ...env(), OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,undici' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = jsonLines<{ status: number; body: { stock: { traceparent: string | null } } }>(run.stdout);
    expect(result).toMatchObject({ status: 200, body: { stock: { traceparent: null } } }); // fetch no longer propagates
    expect(emulator.items('requests').map((r) => r['name']).sort()).toEqual(['GET /inventory/:id', 'GET /orders/:id']);
    expect(emulator.items('dependencies').filter((d) => d['type'] !== 'InProc')).toEqual([]); // express middleware only
    expect(emulator.items('traces').map((t) => t['message'])).toEqual(['cjs order 17 served']);
  }, 90_000);
});

describe('default instrumentations load only for what the app has installed (child processes)', () => {
  const distro = path.join(REPO_ROOT, 'packages/distro/dist/index.js');
  const script = path.join(REPO_ROOT, 'test/fixtures/apps/loaded-modules.cjs');
  const loadedIn = async (cwd: string, main: string): Promise<string[]> => {
    const run = await runNode([main], { DISTRO_PATH: distro, OTEL_LOG_LEVEL: 'none' }, 60_000, cwd);
    expect(run.code).toBe(0);
    return jsonLines<{ loaded: string[] }>(run.stdout)[0]!.loaded;
  };

  beforeAll(() => requireBuilt('distro/dist/index.js'));

  it('an app with none of the libraries: only the HTTP and fetch instrumentations load, and no driver', async () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'no-libraries-app-'));
    try {
      fs.copyFileSync(script, path.join(app, 'app.cjs'));
      expect(await loadedIn(app, path.join(app, 'app.cjs'))).toEqual(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici']);
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });

  it('an app with all of them installed: their instrumentations load, but never the libraries themselves', async () => {
    const loaded = await loadedIn(REPO_ROOT, script);
    expect(loaded).toEqual(expect.arrayContaining(['@fastify/otel', '@opentelemetry/instrumentation-express', '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-winston']));
    expect(loaded.filter((m) => !m.startsWith('@opentelemetry/instrumentation-') && m !== '@fastify/otel')).toEqual([]);
  });
});
