import * as path from 'node:path';
import { DEFAULT_IDS } from '@appinsights-otel/emulator';
import { jsonLines, REPO_ROOT, runNode, useAppEmulator } from '../fixtures/apps/run-node';

type Row = Record<string, unknown>;

/**
 * The other default instrumentations with their real libraries, in one child process (CommonJS, and
 * ES modules through `--import @appinsights-otel/distro/register`), through the emulator: koa (@koa/router) and fastify name requests by route; ioredis and redis calls are redis
 * dependencies; an Azure SDK pipeline request is one dependency carrying traceparent; pino and bunyan records are traces of the operation they were written in.
 * No server for Redis, MySQL or MongoDB can be had from the npm registry, so: Redis is a tiny RESP
 * responder on loopback (real clients, real protocol); MySQL is a closed loopback port (the real
 * mysql2 driver's failed connection must still be a failed mysql dependency); MongoDB is checked by
 * the driver's connection class being patched.
 */
describe('distro auto-collection: koa, fastify, redis, ioredis, mysql2, mongodb, Azure SDK, pino, bunyan', () => {
  const emulator = useAppEmulator();

  it.each([
    ['cjs', [path.join(REPO_ROOT, 'test/fixtures/apps/libraries/app.cjs')]],
    ['esm', ['--import', '@appinsights-otel/distro/register', path.join(REPO_ROOT, 'test/fixtures/apps/libraries/app.mjs')]],
  ] as const)('%s app: every call shows up in the operation of the request that made it', async (app, args) => {
    const run = await runNode(args, {
      APPLICATIONINSIGHTS_CONNECTION_STRING: emulator.connectionString(),
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
      ...emulator.managedIdentityEnv(DEFAULT_IDS.managedIdentityName),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = jsonLines<{ app: string; order: { item: string; mysqlError: string }; item: unknown; mongodbPatched: boolean; blobTraceparents: string[] }>(run.stdout);
    expect(result).toMatchObject({ app, order: { item: 'teapot', mysqlError: 'ECONNREFUSED' }, item: { id: '5' }, mongodbPatched: true });

    const requests = emulator.items('requests');
    const dependencies = emulator.items('dependencies');
    const traces = emulator.items('traces');
    const order = requests.find((r) => r['name'] === 'GET /orders/:id');
    const item = requests.find((r) => r['name'] === 'GET /items/:id');
    expect(order).toMatchObject({ resultCode: '200', success: true });
    expect(item).toMatchObject({ resultCode: '200', success: true });
    const inOrder = (rows: Row[]) => rows.filter((r) => r['operation_Id'] === order!['operation_Id']);
    // ioredis SET and node-redis GET, both against the RESP responder
    const redisCalls = inOrder(dependencies).filter((d) => d['type'] === 'redis');
    expect(redisCalls.map((d) => [String(d['name']).toLowerCase(), d['target'], d['success']])).toEqual(expect.arrayContaining([
      ['set', '127.0.0.1', true], ['redis-get', '127.0.0.1', true],
    ]));
    expect(redisCalls.map((d) => d['data'])).toEqual(expect.arrayContaining(['GET order:17']));
    // mysql2's query on a refused connection: a failed mysql dependency
    expect(inOrder(dependencies).filter((d) => d['type'] === 'mysql').map((d) => [d['target'], d['success']])).toEqual([[expect.stringMatching(/^127\.0\.0\.1/), false]]);
    // the Azure SDK pipeline's request: ONE dependency (the SDK's span; the node:http one below it is
    // suppressed), and the service received that span's traceparent
    const blobCalls = inOrder(dependencies).filter((d) => String(d['data']).includes('/blob/17'));
    expect(blobCalls.map((d) => [d['type'], d['name'], d['resultCode'], d['success']])).toEqual([['Http', 'GET /blob/17', '200', true]]);
    expect(result!.blobTraceparents).toEqual([`00-${String(order!['operation_Id'])}-${String(blobCalls[0]!['id'])}-01`]);
    // the fastify request has its own operation
    expect(dependencies.filter((d) => d['operation_Id'] === item!['operation_Id'] && d['type'] === 'Http').length).toBeGreaterThan(0);
    // exporting never traces itself
    expect(dependencies.filter((d) => String(d['target']).includes(String(emulator.port)))).toEqual([]);
    expect(inOrder(traces).map((t) => t['message']).sort()).toEqual(['bunyan order 17', 'pino order 17']);
  }, 90_000);
});
