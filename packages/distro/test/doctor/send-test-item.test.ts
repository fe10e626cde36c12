import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConnectionString, type TokenProvider, type TokenRequestOptions } from '@appinsights-otel/core';
import { entraOnlyResourceMessage, tokenRejectedMessage } from '../../../core/src/diag/failure-messages';
import { sendTestItem } from '../../src/doctor/send-test-item';

const IKEY = '11111111-2222-4333-8444-555555555555';
const TOKEN = 'opaque-token-that-must-never-be-printed';

/** A token provider that always hands out TOKEN, counting its calls. */
function fixedTokens(): TokenProvider & { calls: TokenRequestOptions[]; invalidations: number } {
  const calls: TokenRequestOptions[] = [];
  const provider = {
    scope: 'https://monitor.azure.com/.default',
    calls,
    invalidations: 0,
    getToken: async (options: TokenRequestOptions = {}) => { calls.push(options); return TOKEN; },
    invalidate: () => { provider.invalidations += 1; },
  };
  return provider;
}

interface Seen { path: string; authorization: string | undefined }

async function ingestion(status: number, body: (authorization: string) => string) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(status, { 'content-type': 'application/json' }).end(body(req.headers.authorization ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    connectionString: parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint}/`),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('sendTestItem (doctor)', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  it('with a token: posts to v2.1/track with the bearer and reports acceptance', async () => {
    const s = await ingestion(200, () => JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, tokens: fixedTokens(), scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result).toMatchObject({ step: 'ingestion', status: 'ok' });
    expect(s.seen).toEqual([{ path: '/v2.1/track', authorization: `Bearer ${TOKEN}` }]);
  });

  it('without a token on an Entra-only resource: explains the 400 and the fix', async () => {
    const s = await ingestion(400, () => JSON.stringify({ itemsReceived: 1, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: 'Authentication not supported' }] }));
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(s.seen).toEqual([{ path: '/v2/track', authorization: undefined }]);
    expect(result).toMatchObject({ status: 'fail' });
    // worded by core's message, as the exporters log it
    expect(result.summary).toBe(`400 from ${s.connectionString.ingestionEndpoint}/v2/track: ${entraOnlyResourceMessage()}`);
  });

  it('a 401 is worded by core (scope used) and the fix says whether the scope fits the endpoint\'s cloud', async () => {
    const s = await ingestion(401, () => '{"error":"invalid_token"}');
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, tokens: fixedTokens(), scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result.summary).toBe(`401 from ${s.connectionString.ingestionEndpoint}/v2.1/track: ${tokenRejectedMessage('https://monitor.azure.com/.default', undefined)}`);
  });

  it.each([
    [429, { 'retry-after': '3' }, /^retry in 3 s \(the service's hint\)/],
    [439, {}, /over its quota or daily cap/],
    [503, {}, /^retry later/],
  ])('%i is classified by core\'s status policy', async (status, headers, fix) => {
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(status, headers).end()); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await sendTestItem({ connectionString: parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint}/`), tokens: fixedTokens(), scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result).toMatchObject({ step: 'ingestion', status: 'fail' });
    expect(result.summary).toMatch(new RegExp(`^${status} from `));
    expect(result.fix).toMatch(fix);
  });

  it.each([
    [401, 'token rejected (401)'],
    [403, 'lacks the Monitoring Metrics Publisher role'],
    [500, '500 from'],
  ])('never prints the token when the server echoes it (%i)', async (status, expected) => {
    const s = await ingestion(status, (authorization) => `request rejected: ${authorization}`);
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, tokens: fixedTokens(), scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(expected);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it.each([
    ['the scope of the endpoint\'s cloud', 'https://monitor.azure.com/.default', /scope of the resource's cloud/],
    ['a wrong audience override', 'https://monitor.azure.us/.default', /expects https:\/\/monitor\.azure\.com\/\.default: remove or correct the audience override/],
  ])('a 401 with %s names the scope the resource expects', async (_name, scope, fix) => {
    const s = await ingestion(401, () => '{"error":"invalid_token"}');
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, tokens: fixedTokens(), scope, timeoutMillis: 5_000 });
    expect(result.status).toBe('fail');
    expect(result.fix).toMatch(fix);
  });

  it('a 401 with a claims challenge: invalidates the token and retries once with the claims, as the exporters do', async () => {
    const seen: Seen[] = [];
    let n = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
        n += 1;
        if (n === 1) res.writeHead(401, { 'www-authenticate': 'Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tokens = fixedTokens();
    const result = await sendTestItem({ connectionString: parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint}/`), tokens, scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result).toMatchObject({ step: 'ingestion', status: 'ok' });
    expect(seen).toHaveLength(2);
    expect(tokens.invalidations).toBe(1);
    expect(tokens.calls.map((c) => c.claims)).toEqual([undefined, 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ==']);
  });

  it('reads at most 64 KiB of the answer (a huge echo cannot flood the report or the memory)', async () => {
    const s = await ingestion(500, () => JSON.stringify({ error: { message: 'x'.repeat(1024 * 1024) } }));
    servers.push(s);
    const result = await sendTestItem({ connectionString: s.connectionString, tokens: fixedTokens(), scope: 'https://monitor.azure.com/.default', timeoutMillis: 5_000 });
    expect(result).toMatchObject({ step: 'ingestion', status: 'fail' });
    // the cut body is no longer JSON: only its (capped) size is reported
    expect(result.summary).toContain('(65536-byte non-JSON body)');
  });
});
