import * as net from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { CredentialAuthenticationError, TransportError } from '../../src/errors';
import { createTokenProvider } from '../../src/auth/create-token-provider';
import { createDiagnostics } from '../../src/diag/diagnostics';
import { createHttpTransport, type HttpTransportOptions } from '../../src/transport/http-transport';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import type { RequestBody, Transport } from '../../src/transport/transport-types';
import { recordingLogger } from './helpers/capture-diag';
import { createCountingTokenProvider, makeJwt } from './helpers/fake-token-provider';
import { reply, startServer, trackResponse, useLoopbackFixtures } from './helpers/loopback-server';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const { server, track } = useLoopbackFixtures();

function transport(options: Partial<HttpTransportOptions> & { endpoint: string }): Transport {
  const t = createHttpTransport({
    instrumentationKey: IKEY, signalName: 'logs', requestTimeoutMillis: 5_000,
    diagnostics: createDiagnostics({ logger: recordingLogger() }), ...options,
  });
  return track(t);
}

const envelopes = [{ name: 'Microsoft.ApplicationInsights.Message', iKey: IKEY, data: { baseData: { message: 'héllo' } } }, { name: 'b' }];


describe('createHttpTransport: request shape', () => {
  it('posts gzipped newline-delimited JSON to v2.1/track with a bearer token and our User-Agent', async () => {
    const s = await server(reply(200, trackResponse(2, 2)));
    const tokens = createCountingTokenProvider({ tokens: ['tok-abc'] });
    const outcome = await transport({ endpoint: `${s.origin}/`, tokenProvider: tokens, userAgent: 'my-distro/1.2' })
      .send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome).toEqual({ status: 'success', itemCount: 2 });
    const req = s.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v2.1/track');
    expect(req?.headers.authorization).toBe('Bearer tok-abc');
    expect(req?.headers['content-encoding']).toBe('gzip');
    expect(req?.headers['content-type']).toBe('application/x-json-stream');
    expect(req?.headers['user-agent']).toMatch(/^my-distro\/1\.2 appinsights-otel\/0\.1\.0 \(@appinsights-otel\/core; node v\d+/);
    // gzip round trip: the server gunzips and parses every line
    expect(req?.text?.split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(envelopes);
  });

  it('posts to v2/track without Authorization when no token provider is configured', async () => {
    const s = await server(reply(200, trackResponse(2, 2)));
    await transport({ endpoint: `${s.origin}/some/prefix` }).send(await encodeEnvelopes(envelopes, false), 5_000);
    expect(s.requests[0]?.path).toBe('/some/prefix/v2/track');
    expect(s.requests[0]?.headers.authorization).toBeUndefined();
    expect(s.requests[0]?.headers['content-encoding']).toBeUndefined();
    expect(s.requests[0]?.text).toBe(envelopes.map((e) => JSON.stringify(e)).join('\n'));
  });

  it('throws ConfigError at creation for an endpoint that is not an http(s) URL', () => {
    expect(() => createHttpTransport({ endpoint: 'not a url', instrumentationKey: IKEY, signalName: 'traces' })).toThrow('not a valid URL');
    expect(() => createHttpTransport({ endpoint: 'ftp://x', instrumentationKey: IKEY, signalName: 'traces' })).toThrow('http(s)');
  });

  it('uses a given dispatcher and leaves it open on shutdown', async () => {
    const s = await server(reply(200, trackResponse(2, 2)));
    const agent = new Agent();
    const t = createHttpTransport({ endpoint: s.origin, instrumentationKey: IKEY, signalName: 'traces', dispatcher: agent });
    await expect(t.send(await encodeEnvelopes(envelopes, false), 5_000)).resolves.toMatchObject({ status: 'success' });
    await t.shutdown();
    expect(agent.closed).toBe(false);
    await agent.close();
  });

  it('after shutdown, resolves retryable without sending', async () => {
    const s = await server(reply(200));
    const t = transport({ endpoint: s.origin });
    await t.shutdown();
    await expect(t.send(await encodeEnvelopes(envelopes, false), 1_000)).resolves.toMatchObject({ status: 'retryable' });
    expect(s.requests).toHaveLength(0);
  });
});

describe('createHttpTransport: tokens', () => {
  it('asks the credential once across 50 sequential sends with a 1-hour token (real token provider)', async () => {
    const s = await server(reply(200, trackResponse(2, 2)));
    const credential = { getToken: jest.fn(async () => ({ token: 'tok-1h', expiresOnTimestamp: Date.now() + 3_600_000 })) };
    const t = transport({ endpoint: s.origin, tokenProvider: createTokenProvider(credential, 'https://monitor.azure.com/.default') });
    const body = await encodeEnvelopes(envelopes, true);
    for (let i = 0; i < 50; i++) {
      expect(await t.send(body, 5_000)).toEqual({ status: 'success', itemCount: 2 });
    }
    expect(credential.getToken).toHaveBeenCalledTimes(1);
    expect(s.requests).toHaveLength(50);
    expect(s.requests.every((r) => r.headers.authorization === 'Bearer tok-1h')).toBe(true);
  });

  it('on 401 invalidates the token and retries once with the claims of the challenge', async () => {
    let calls = 0;
    const claims = 'eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==';
    const s = await server((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(401, { 'www-authenticate': `Bearer realm="", error="insufficient_claims", claims="${claims}"` }).end();
      else res.writeHead(200).end(trackResponse(2, 2));
    });
    const tokens = createCountingTokenProvider({ tokens: ['first', 'second'] });
    const outcome = await transport({ endpoint: s.origin, tokenProvider: tokens }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome).toEqual({ status: 'success', itemCount: 2 });
    expect(tokens.invalidateCalls).toBe(1);
    expect(tokens.requests[1]?.claims).toBe(claims);
    expect(s.requests.map((r) => r.headers.authorization)).toEqual(['Bearer first', 'Bearer second']);
  });

  it('maps a credential error to auth-failed, keeping the AADSTS code, without sending', async () => {
    const s = await server(reply(200));
    const tokens = createCountingTokenProvider({ fail: new CredentialAuthenticationError('AADSTS7000215: Invalid client secret provided.', 'AADSTS7000215') });
    const outcome = await transport({ endpoint: s.origin, tokenProvider: tokens }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome.status).toBe('auth-failed');
    expect((outcome as { error: CredentialAuthenticationError }).error.aadstsCode).toBe('AADSTS7000215');
    expect(s.requests).toHaveLength(0);
  });

  it('wraps an untyped error thrown by a token provider into a typed credential error', async () => {
    const s = await server(reply(200));
    const tokens = createCountingTokenProvider({ fail: new Error('boom') });
    const outcome = await transport({ endpoint: s.origin, tokenProvider: tokens }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome.status).toBe('auth-failed');
    expect((outcome as { error: Error }).error).toBeInstanceOf(CredentialAuthenticationError);
    expect(s.requests).toHaveLength(0);
  });

  it('refuses to send a bearer token over plain http to a non-loopback host, without asking for a token', async () => {
    const tokens = createCountingTokenProvider();
    const outcome = await transport({ endpoint: 'http://ingestion.example.com', tokenProvider: tokens }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome.status).toBe('auth-failed');
    expect((outcome as { error: Error & { code: string } }).error.code).toBe('AI_CONFIG');
    expect((outcome as { error: Error }).error.message).toContain('plain http');
    expect(tokens.getTokenCalls).toBe(0);
  });

  it('classifies the emulator-style 400 body for an Entra-only resource', async () => {
    const body = trackResponse(2, 0, [{ index: 0, statusCode: 400, message: 'Authentication not supported: this resource has local authentication disabled' }]);
    const s = await server(reply(400, body, { 'content-type': 'application/json' }));
    const outcome = await transport({ endpoint: s.origin }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome).toMatchObject({ status: 'auth-failed', error: { statusCode: 400 } });
  });

  it('answers a 401 to a request without a token with the Entra-only fix', async () => {
    const s = await server(reply(401, 'Unauthorized'));
    const outcome = await transport({ endpoint: s.origin }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome).toMatchObject({ status: 'auth-failed', error: { statusCode: 401 } });
    expect((outcome as { error: Error }).error.message).toContain('pass `credential`');
    expect(s.requests).toHaveLength(1);
  });
});

describe('createHttpTransport: timeouts and network errors', () => {
  it('resolves retryable within its timeout when the server hangs, and closes the socket', async () => {
    const s = await server(() => undefined); // never answers
    const outcome = await transport({ endpoint: s.origin, requestTimeoutMillis: 30_000 }).send(await encodeEnvelopes(envelopes, true), 300);
    expect(outcome.status).toBe('retryable');
    expect((outcome as { error: Error }).error.message).toContain('timed out after 300ms');
    expect(s.sockets).toHaveLength(1);
    await s.sockets[0]?.closed; // resolves only once the client destroyed the socket
  });

  it('resolves retryable within its timeout when the token provider hangs, without sending', async () => {
    const s = await server(reply(200));
    const hanging = { scope: 'https://monitor.azure.com/.default', getToken: () => new Promise<string>(() => undefined), invalidate: () => undefined };
    const outcome = await transport({ endpoint: s.origin, tokenProvider: hanging }).send(await encodeEnvelopes(envelopes, true), 200);
    expect(outcome.status).toBe('retryable');
    expect((outcome as unknown as { error: Error }).error.message).toContain('timed out after 200ms');
    expect(s.requests).toHaveLength(0);
  });

  it('resolves retryable on connection refused', async () => {
    const s = await startServer(reply(200));
    await s.close();
    const outcome = await transport({ endpoint: s.origin }).send(await encodeEnvelopes(envelopes, true), 2_000);
    expect(outcome.status).toBe('retryable');
    expect((outcome as unknown as { error: TransportError }).error).toBeInstanceOf(TransportError);
    expect((outcome as { error: Error }).error.message).toContain('ECONNREFUSED');
  });
});

describe('createHttpTransport: redirects', () => {
  it('follows a 308 keeping path and query, and remembers it for later sends', async () => {
    const target = await server(reply(200, trackResponse(2, 2)));
    const origin = await server(reply(308, '', { location: `${target.origin}/v2.1/track?region=west` }));
    const t = transport({ endpoint: origin.origin, tokenProvider: createCountingTokenProvider({ tokens: ['tok'] }) });
    const body = await encodeEnvelopes(envelopes, true);
    await expect(t.send(body, 5_000)).resolves.toEqual({ status: 'success', itemCount: 2 });
    await expect(t.send(body, 5_000)).resolves.toEqual({ status: 'success', itemCount: 2 });
    expect(origin.requests).toHaveLength(1);
    expect(target.requests.map((r) => r.path)).toEqual(['/v2.1/track?region=west', '/v2.1/track?region=west']);
    expect(target.requests[1]?.headers.authorization).toBe('Bearer tok');
    expect(target.requests[1]?.text).toBe(envelopes.map((e) => JSON.stringify(e)).join('\n'));
  });

  it('does not remember a 307', async () => {
    const target = await server(reply(200, trackResponse(2, 2)));
    const origin = await server(reply(307, '', { location: `${target.origin}/v2/track` }));
    const t = transport({ endpoint: origin.origin });
    const body = await encodeEnvelopes(envelopes, true);
    await t.send(body, 5_000);
    await t.send(body, 5_000);
    expect(origin.requests).toHaveLength(2);
    expect(target.requests).toHaveLength(2);
  });

  it.each(['localhost', '127.0.0.2'])('refuses a redirect to a disallowed host (%s): nothing, and no token, is sent there', async (host) => {
    const evil = await server(reply(200, trackResponse(2, 2)), host === 'localhost' ? '127.0.0.1' : host);
    const origin = await server(reply(307, '', { location: `http://${host}:${evil.port}/v2.1/track` }));
    const outcome = await transport({ endpoint: origin.origin, tokenProvider: createCountingTokenProvider() }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome.status).toBe('auth-failed');
    expect((outcome as { error: Error }).error.message).toContain(`redirected (307) to http://${host}:${evil.port}`);
    expect(evil.requests).toHaveLength(0);
    expect(evil.sockets).toHaveLength(0);
  });

  it('stops a redirect loop after 10 hops', async () => {
    const loop = await server((_req, res) => res.writeHead(307, { location: '/v2.1/track' }).end());
    const outcome = await transport({ endpoint: loop.origin, tokenProvider: createCountingTokenProvider() }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome.status).toBe('retryable');
    expect((outcome as { error: Error }).error.message).toContain('more than 10 times');
    expect(loop.requests).toHaveLength(11); // the first request + 10 followed hops
  });

  it('treats a 307 without Location as retryable', async () => {
    const s = await server(reply(307));
    const outcome = await transport({ endpoint: s.origin }).send(await encodeEnvelopes(envelopes, true), 5_000);
    expect(outcome).toMatchObject({ status: 'retryable', error: { statusCode: 307 } });
  });
});

describe('createHttpTransport: bad responses never crash or reject', () => {
  const body = (): Promise<RequestBody> => encodeEnvelopes(envelopes, true);

  it('206 with a non-JSON body: retryable (keep everything)', async () => {
    const s = await server(reply(206, 'this is not json'));
    await expect(transport({ endpoint: s.origin }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'retryable', error: { statusCode: 206 } });
  });

  it('HTML error page on 502: retryable; on 404: failure', async () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
    const s502 = await server(reply(502, html, { 'content-type': 'text/html' }));
    await expect(transport({ endpoint: s502.origin }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'retryable' });
    const s404 = await server(reply(404, html, { 'content-type': 'text/html' }));
    await expect(transport({ endpoint: s404.origin }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'failure', error: { statusCode: 404 } });
  });

  it('truncated gzip request rejected by the server with 400: failure with the reason', async () => {
    const s = await server((_req, res, recorded) => {
      if (recorded.text === undefined) res.writeHead(400).end(trackResponse(0, 0, [{ index: 0, statusCode: 400, message: 'invalid gzip body' }]));
      else res.writeHead(200).end(trackResponse(2, 2));
    });
    const full = gzipSync(Buffer.from('{"name":"a"}\n{"name":"b"}'));
    const truncated: RequestBody = { data: full.subarray(0, full.length - 8), gzip: true, itemCount: 2 };
    const outcome = await transport({ endpoint: s.origin }).send(truncated, 5_000);
    expect(outcome).toMatchObject({ status: 'failure', error: { statusCode: 400 } });
    expect((outcome as { error: Error }).error.message).toContain('invalid gzip body');
  });

  it('200 with a garbage body: success', async () => {
    const s = await server(reply(200, '\u0000\u0001garbage{'));
    await expect(transport({ endpoint: s.origin }).send(await body(), 5_000)).resolves.toEqual({ status: 'success', itemCount: 2 });
  });

  it('connection reset mid-response: retryable', async () => {
    const s = await server((req, res) => {
      res.writeHead(206, { 'content-length': '1000' });
      res.write('{"itemsReceived":2,"itemsAcc');
      setTimeout(() => req.socket.destroy(), 10);
    });
    await expect(transport({ endpoint: s.origin }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'retryable' });
  });

  it('connection reset before any response: retryable', async () => {
    const raw = net.createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const { port } = raw.address() as net.AddressInfo;
    try {
      await expect(transport({ endpoint: `http://127.0.0.1:${port}` }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'retryable' });
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('a response bigger than the read cap is classified from its start', async () => {
    const s = await server(reply(500, 'x'.repeat(500_000)));
    await expect(transport({ endpoint: s.origin }).send(await body(), 5_000)).resolves.toMatchObject({ status: 'retryable', error: { statusCode: 500 } });
  });
});

describe('createHttpTransport: composition and diagnostics', () => {
  it('makes one attempt per send: a 503 resolves retryable with its hint after one request (retries come from the store)', async () => {
    const s = await server((_req, res) => { res.writeHead(503, { 'retry-after-ms': '1500' }).end(); });
    const t = transport({ endpoint: s.origin });
    await expect(t.send(await encodeEnvelopes(envelopes, true), 10_000)).resolves.toMatchObject({ status: 'retryable', retryAfterMillis: 1_500 });
    expect(s.requests).toHaveLength(1);
  });

  it('logs a repeated 403 once, with signal, status, masked ikey, endpoint and item fate', async () => {
    const s = await server(reply(403));
    const logger = recordingLogger();
    const t = transport({
      endpoint: s.origin, tokenProvider: createCountingTokenProvider({ tokens: [makeJwt({ appid: 'app-7', oid: 'oid-7', tid: 'tid-7' })] }),
      diagnostics: createDiagnostics({ logger }),
    });
    for (let i = 0; i < 5; i++) await t.send(await encodeEnvelopes(envelopes, true), 5_000);
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.text).toBe(
      `[logs] identity appid=app-7 oid=oid-7 tid=tid-7 lacks the Monitoring Metrics Publisher role on this Application Insights resource (403): ` +
      'assign Monitoring Metrics Publisher to it with the resource as scope; new role assignments can take several minutes to apply ' +
      `| status 403, ikey 0f1e2d3c..., endpoint ${s.origin}/ (sent to ${s.origin}/v2.1/track) | 2 item(s) kept (queued), retried with slow backoff`,
    );
  });
});
