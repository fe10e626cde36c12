import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, runNode, useAppEmulator } from '../fixtures/apps/run-node';
import { queryRows } from '../fixtures/apps/query-rows';
import { usePgliteServer } from '../fixtures/apps/use-pglite-server';

/**
 * Operation names end to end (issue 23): in an express + fetch + pg + winston + pino app, every
 * dependency and log produced while serving GET /orders/:id carries `operation_Name`
 * "GET /orders/:id" (the route, although express sets it only during routing, after the first log),
 * so the documented queries `dependencies | where operation_Name == ...` and `traces | where
 * operation_Name == ...` find them in the emulator; HTTP dependencies are `type == "Http"`; what
 * happens outside any request has no operation name.
 */
describe('operation names in a real app (express + fetch + pg + winston + pino)', () => {
  const emulator = useAppEmulator();
  const pg = usePgliteServer();

  const query = (kql: string): Record<string, unknown>[] => queryRows(emulator, kql);

  it('dependencies and logs of a request are found by its operation name; Http dependencies by type', async () => {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/operation-name/app.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
      PG_ADDRESS: pg.address(),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = jsonLines<{ port: number; statuses: number[] }>(run.stdout);
    expect(result).toMatchObject({ statuses: [200, 200] });
    const port = result!.port;

    const [order] = query('requests | where name == "GET /orders/:id" | project id, operation_Id, operation_Name');
    expect(order).toMatchObject({ operation_Name: 'GET /orders/:id' });

    // every dependency of the order's operation, found by operation name, including the query inside
    // the app's own nested span and the HTTP call to /inventory
    const dependencies = query('dependencies | where operation_Name == "GET /orders/:id" | project name, type, data, operation_Id');
    expect(dependencies.length).toBeGreaterThanOrEqual(3);
    for (const d of dependencies) expect(d['operation_Id']).toBe(order!['operation_Id']);
    expect(dependencies).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'Http', data: `http://127.0.0.1:${port}/inventory/17` }),
      expect.objectContaining({ type: 'InProc', name: 'load order' }),
      expect.objectContaining({ type: 'postgresql', data: 'SELECT id, item FROM orders WHERE id = $1' }),
    ]));
    // the driver's fetch is the operation's root, outside any request: no name. Every other
    // dependency is named by its nearest request: the in-process GET /inventory/:id request (same
    // trace) names its own express middleware spans
    const named = query(`dependencies | where operation_Id == "${String(order!['operation_Id'])}" | summarize count() by operation_Name, type`);
    const unnamed = named.filter((row) => !row['operation_Name']);
    expect(unnamed).toEqual([expect.objectContaining({ type: 'Http', count_: 1 })]);
    expect(named).toEqual(expect.arrayContaining([expect.objectContaining({ operation_Name: 'GET /inventory/:id', type: 'InProc' })]));

    // the logs: pino before routing, winston and pino in the handler
    const traces = query('traces | where operation_Name == "GET /orders/:id" | project message, severityLevel, operation_Id | order by message asc');
    expect(traces).toEqual(['pino order 17 served', 'pino received /orders/17', 'winston order 17 served']
      .map((message) => ({ message, severityLevel: 1, operation_Id: order!['operation_Id'] })));
    expect(query('traces | where operation_Name == "GET /health" | project message').map((t) => t['message']).sort())
      .toEqual(['pino received /health', 'winston health ok']);

    // type == "Http" matches the HTTP dependencies: the driver's fetch and the handler's (the probe's
    // call is not traced, as a kubelet's would not be)
    const http = query('dependencies | where type == "Http" | project data');
    expect(http.map((d) => d['data']).sort()).toEqual([`http://127.0.0.1:${port}/inventory/17`, `http://127.0.0.1:${port}/orders/17`]);

    // outside any request: no operation name
    expect(query('traces | where message == "winston starting" and isempty(operation_Name) | summarize count()')).toEqual([{ count_: 1 }]);
    expect(query('dependencies | where data == "SELECT 1 AS warmup" and isempty(operation_Name) | summarize count()')).toEqual([{ count_: 1 }]);
  }, 90_000);

  it('golden: the winston and pino message envelopes inside and outside a request, whole', async () => {
    const run = await runNode([path.join(REPO_ROOT, 'test/fixtures/apps/operation-name/app.cjs')], {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
      PG_ADDRESS: pg.address(),
      PRINT_MESSAGES: '1',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [, printed] = jsonLines<{ messages: { data: { baseData: { message: string } } }[] }>(run.stdout);
    const byMessage = new Map(printed!.messages.map((m) => [m.data.baseData.message, m]));
    const order = query('requests | where name == "GET /orders/:id" | project id, operation_Id')[0]!;
    const iKey = /InstrumentationKey=([^;]+)/.exec(emulator.connectionString())![1];
    const resourceTags = { 'ai.cloud.role': expect.any(String), 'ai.cloud.roleInstance': expect.any(String), 'ai.internal.sdkVersion': expect.stringMatching(/^node[\d.]+:otel/) };
    const envelope = (message: string, tags: Record<string, unknown>): unknown => ({
      ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), iKey,
      tags: { ...resourceTags, ...tags },
      data: { baseType: 'MessageData', baseData: { ver: 2, message, severityLevel: 'Information', properties: { '_MS.ProcessedByMetricExtractors': "(Name:'X', Ver:'1.1')" } } },
    });
    const spanId = expect.stringMatching(/^[0-9a-f]{16}$/) as unknown;
    const inOrder = (parentId: unknown): Record<string, unknown> => ({ 'ai.operation.id': order['operation_Id'], 'ai.operation.parentId': parentId, 'ai.operation.name': 'GET /orders/:id' });
    expect({
      pinoBeforeRouting: byMessage.get('pino received /orders/17'),
      winstonInHandler: byMessage.get('winston order 17 served'),
      pinoInHandler: byMessage.get('pino order 17 served'),
      winstonOutside: byMessage.get('winston starting'),
    }).toEqual({
      pinoBeforeRouting: envelope('pino received /orders/17', inOrder(spanId)), // before express routed
      winstonInHandler: envelope('winston order 17 served', inOrder(spanId)),
      pinoInHandler: envelope('pino order 17 served', inOrder(spanId)),
      winstonOutside: envelope('winston starting', {}),
    });
    // each parent is the request or one of its spans (express middleware, handler)
    const ofOrder = new Set([order['id'], ...query('dependencies | where operation_Name == "GET /orders/:id" | project id').map((d) => d['id'])]);
    for (const text of ['pino received /orders/17', 'winston order 17 served', 'pino order 17 served']) {
      const tags = (byMessage.get(text) as unknown as { tags: Record<string, string> }).tags;
      expect({ text, parentIsOfTheRequest: ofOrder.has(tags['ai.operation.parentId']) }).toEqual({ text, parentIsOfTheRequest: true });
    }
  }, 90_000);
});
