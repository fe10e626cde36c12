import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  AuthError, ConfigError, CredentialAuthenticationError, CredentialUnavailableError, TransportError, parseRetryAfter,
} from '@appinsights-otel/core';
import { QueryClient, QueryError, tableToObjects } from '@appinsights-otel/query';

const APP_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

/** A counting fake credential handing out JWT-shaped tokens with the given claims. */
function fakeCredential(claims: Record<string, unknown> = { appid: 'app-1', oid: 'obj-1', tid: 'tenant-1', aud: 'https://api.applicationinsights.io' }) {
  const scopes: string[] = [];
  const requests: Array<GetTokenOptions | undefined> = [];
  let n = 0;
  const credential: TokenCredential = {
    getToken: jest.fn(async (scope: string | string[], options?: GetTokenOptions): Promise<AccessToken> => {
      scopes.push(String(scope));
      requests.push(options);
      n += 1;
      return { token: jwt({ ...claims, n }), expiresOnTimestamp: Date.now() + 3_600_000 };
    }),
  };
  return { credential, scopes, requests, calls: () => n };
}

interface Seen { method: string; url: string; auth: string | undefined; body: string }

/** A loopback fake query API answering from a queue of (status, body, headers). */
async function fakeQueryApi(answers: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const answer = answers.shift() ?? { status: 500, body: { error: { code: 'NoMoreAnswers', message: 'test queue empty' } } };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const RESULT = {
  tables: [{
    name: 'PrimaryResult',
    columns: [{ name: 'name', type: 'string' }, { name: 'resultCode', type: 'string' }, { name: 'count_', type: 'long' }, { name: 'customDimensions', type: 'dynamic' }],
    rows: [['GET /', '200', 3, '{"a":"1"}'], ['GET /boom', '500', 1, null]],
  }],
};

describe('QueryClient', () => {
  let api: Awaited<ReturnType<typeof fakeQueryApi>> | undefined;
  afterEach(async () => { await api?.close(); api = undefined; });

  it('POSTs the query with a Bearer token for the query API scope and returns typed tables', async () => {
    api = await fakeQueryApi([{ status: 200, body: RESULT }]);
    const { credential, scopes } = fakeCredential();
    const client = new QueryClient({ appId: APP_ID, credential, endpoint: api.endpoint });

    const result = await client.query('requests | summarize count() by name, resultCode', { timespan: 'PT1H' });

    expect(result.tables[0]?.columns).toEqual(RESULT.tables[0]?.columns);
    expect(result.tables[0]?.rows).toEqual(RESULT.tables[0]?.rows);
    expect(scopes).toEqual(['https://api.applicationinsights.io/.default']);
    const request = api.seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/v1/apps/${APP_ID}/query?timespan=PT1H`);
    expect(request.auth).toMatch(/^Bearer [\w-]+\.[\w-]+\.sig$/);
    expect(JSON.parse(request.body)).toEqual({ query: 'requests | summarize count() by name, resultCode' });
  });

  it('reuses the cached token across queries', async () => {
    api = await fakeQueryApi([{ status: 200, body: RESULT }, { status: 200, body: RESULT }]);
    const fake = fakeCredential();
    const client = new QueryClient({ appId: APP_ID, credential: fake.credential, endpoint: api.endpoint });
    await client.query('requests');
    await client.query('requests');
    expect(fake.calls()).toBe(1);
  });

  it('turns a table into objects, parsing dynamic JSON columns', async () => {
    api = await fakeQueryApi([{ status: 200, body: RESULT }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    const { tables } = await client.query('requests');
    expect(tableToObjects(tables[0]!)).toEqual([
      { name: 'GET /', resultCode: '200', count_: 3, customDimensions: { a: '1' } },
      { name: 'GET /boom', resultCode: '500', count_: 1, customDimensions: null },
    ]);
  });

  it('reports a 400 as a QueryError carrying the service code and innermost message', async () => {
    api = await fakeQueryApi([{ status: 400, body: { error: { code: 'BadArgumentError', message: 'The request had some invalid properties', innererror: { code: 'SyntaxError', message: "Syntax error: Query could not be parsed at 'sumarize'" } } } }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    const error = await client.query('requests | sumarize count()').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ statusCode: 400, serviceCode: 'BadArgumentError', code: 'AI_TRANSPORT' });
    expect((error as Error).message).toContain("Syntax error: Query could not be parsed at 'sumarize'");
    expect((error as Error).message).toContain('BadArgumentError');
  });

  it('reports a 403 as an AuthError naming the identity and the Reader role', async () => {
    api = await fakeQueryApi([{ status: 403, body: { error: { code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access' } } }]);
    const fake = fakeCredential({ appid: '7a7a7a7a-0000-4000-8000-000000000003', oid: '8b8b8b8b-0000-4000-8000-000000000003', tid: 't' });
    const client = new QueryClient({ appId: APP_ID, credential: fake.credential, endpoint: api.endpoint });
    const error = await client.query('requests').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ statusCode: 403 });
    const message = (error as Error).message;
    expect(message).toContain('Reader role');
    expect(message).toContain('7a7a7a7a-0000-4000-8000-000000000003');
    expect(message).toContain(APP_ID);
    expect(message).not.toMatch(/eyJ|\.sig/); // never the token
  });

  it('retries a 401 once with a fresh token, then reports an AuthError naming the scope', async () => {
    const challenge = { 'www-authenticate': 'Bearer error="invalid_token", error_description="The audience is invalid"' };
    api = await fakeQueryApi([{ status: 401, headers: challenge }, { status: 401, headers: challenge }]);
    const fake = fakeCredential();
    const client = new QueryClient({ appId: APP_ID, credential: fake.credential, endpoint: api.endpoint });
    const error = await client.query('requests').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ statusCode: 401 });
    expect((error as Error).message).toContain('https://api.applicationinsights.io/.default');
    expect((error as Error).message).toContain('The audience is invalid');
    expect(fake.calls()).toBe(2);
    expect(api.seen).toHaveLength(2);
  });

  it('succeeds when the retry after a 401 is accepted', async () => {
    api = await fakeQueryApi([{ status: 401 }, { status: 200, body: RESULT }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    await expect(client.query('requests')).resolves.toMatchObject({ tables: [{ name: 'PrimaryResult' }] });
  });

  it('reports a 404 as a QueryError that points at the Application ID', async () => {
    api = await fakeQueryApi([{ status: 404, body: { error: { code: 'PathNotFoundError', message: 'The requested path does not exist' } } }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    const error = await client.query('requests').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as Error).message).toContain('Application ID');
  });

  it('carries Retry-After on a 429', async () => {
    api = await fakeQueryApi([{ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'ThrottledError', message: 'slow down' } } }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    await expect(client.query('requests')).rejects.toMatchObject({ statusCode: 429, retryAfterMillis: 7000, serviceCode: 'ThrottledError' });
  });

  it('passes the claims of a 401 challenge (CAE) to the credential for the retry', async () => {
    const claims = 'eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNzAwMDAwMDAwIn19fQ==';
    api = await fakeQueryApi([
      { status: 401, headers: { 'www-authenticate': `Bearer realm="", error="insufficient_claims", error_description="claims required", claims="${claims}"` } },
      { status: 200, body: RESULT },
    ]);
    const fake = fakeCredential();
    const client = new QueryClient({ appId: APP_ID, credential: fake.credential, endpoint: api.endpoint });
    await expect(client.query('requests')).resolves.toMatchObject({ tables: [{ name: 'PrimaryResult' }] });
    expect(fake.requests.map((r) => r?.claims)).toEqual([undefined, claims]);
  });

  // The retry hint is read by core's parser (as for ingestion): retry-after-ms first, then
  // Retry-After in delta-seconds or an HTTP date; anything else is no hint.
  it.each([
    [{ 'retry-after': '7' }, 'a hint'],
    [{ 'retry-after-ms': '1500', 'retry-after': '9' }, 'a hint'],
    [{ 'x-ms-retry-after-ms': '250' }, 'a hint'],
    [{ 'retry-after': '-5' }, 'no hint'],
    [{ 'retry-after': '' }, 'no hint'],
    [{ 'retry-after': '0x10' }, 'no hint'],
    [{ 'retry-after': 'soon' }, 'no hint'],
  ])('reads the retry hint of a 503 with %j as core does (%s)', async (headers, expected) => {
    api = await fakeQueryApi([{ status: 503, headers, body: { error: { code: 'ServiceUnavailable', message: 'busy' } } }]);
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint });
    const error = await client.query('requests').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    const hint = (error as QueryError).retryAfterMillis;
    expect(hint).toBe(parseRetryAfter(headers));
    expect(hint === undefined ? 'no hint' : 'a hint').toBe(expected);
  });

  it('classifies credential failures without calling the API', async () => {
    api = await fakeQueryApi([]);
    const unavailable = Object.assign(new Error('ManagedIdentityCredential: no managed identity endpoint'), { name: 'CredentialUnavailableError' });
    const refused = Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationError' });
    const c1 = new QueryClient({ appId: APP_ID, credential: { getToken: async () => { throw unavailable; } }, endpoint: api.endpoint });
    const c2 = new QueryClient({ appId: APP_ID, credential: { getToken: async () => { throw refused; } }, endpoint: api.endpoint });
    await expect(c1.query('requests')).rejects.toBeInstanceOf(CredentialUnavailableError);
    await expect(c2.query('requests')).rejects.toMatchObject({ name: 'CredentialAuthenticationError', aadstsCode: 'AADSTS7000215' });
    await expect(c2.query('requests')).rejects.toBeInstanceOf(CredentialAuthenticationError);
    expect(api.seen).toHaveLength(0);
  });

  it('caps the answer it reads: a larger one fails with a message to narrow the query, a smaller one parses', async () => {
    api = await fakeQueryApi([{ status: 200, body: RESULT }, { status: 200, body: RESULT }]);
    const size = Buffer.byteLength(JSON.stringify(RESULT));
    const small = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint, maxResponseBytes: size - 1 });
    await expect(small.query('requests')).rejects.toThrow(`more than ${size - 1} bytes; narrow the query`);
    const exact = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint: api.endpoint, maxResponseBytes: size });
    await expect(exact.query('requests')).resolves.toMatchObject({ tables: [{ name: 'PrimaryResult' }] });
    expect(() => new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, maxResponseBytes: 0 })).toThrow(ConfigError);
  });

  it('reports a connection reset while reading the answer as a TransportError', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"tables":[');
        setImmediate(() => req.socket.destroy());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, endpoint });
      const error = await client.query('requests').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toContain(`query API request to ${endpoint} failed`);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses to send a Bearer token over plain http to a non-loopback host', () => {
    const { credential } = fakeCredential();
    expect(() => new QueryClient({ appId: APP_ID, credential, endpoint: 'http://api.example.com' })).toThrow(ConfigError);
    expect(() => new QueryClient({ appId: APP_ID, credential, endpoint: 'http://api.example.com' })).toThrow(/https/);
    expect(() => new QueryClient({ appId: APP_ID, credential, endpoint: 'http://localhost:1' })).not.toThrow();
  });

  it.each([
    [{}, 'https://api.applicationinsights.io/.default'],
    [{ cloud: 'china' as const }, 'https://api.applicationinsights.azure.cn/.default'],
    [{ cloud: 'usgov' as const }, 'https://api.applicationinsights.us/.default'],
    [{ endpoint: 'https://api.applicationinsights.azure.cn/' }, 'https://api.applicationinsights.azure.cn/.default'],
    [{ endpoint: 'https://api.applicationinsights.us' }, 'https://api.applicationinsights.us/.default'],
    [{ endpoint: 'http://127.0.0.1:9', cloud: 'china' as const }, 'https://api.applicationinsights.azure.cn/.default'],
  ])('derives the scope from %j', (extra, scope) => {
    const client = new QueryClient({ appId: APP_ID, credential: fakeCredential().credential, ...extra });
    expect(client.scope).toBe(scope);
  });

  it('rejects a missing appId or credential at construction', () => {
    const { credential } = fakeCredential();
    expect(() => new QueryClient({ appId: '', credential })).toThrow(ConfigError);
    expect(() => new QueryClient({ appId: APP_ID, credential: undefined as unknown as TokenCredential })).toThrow(/credential/);
  });
});
