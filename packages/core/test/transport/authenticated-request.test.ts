import type * as http from 'node:http';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed } from '@opentelemetry/core';
import { Agent, setGlobalDispatcher, type Dispatcher } from 'undici';
import {
  ConfigError, CredentialAuthenticationError, CredentialUnavailableError, TransportError,
} from '../../src/errors';
import { authenticatedRequest, type AuthenticatedOutcome, type AuthenticatedRequestOptions } from '../../src/transport/authenticated-request';
import { createHeaderRedirects, createIngestionRedirects, MAX_REDIRECT_HOPS, type RedirectPolicy } from '../../src/transport/redirect-policy';
import { captureDiag } from './helpers/capture-diag';
import { createCountingTokenProvider, makeJwt } from './helpers/fake-token-provider';
import { startServer, type LoopbackServer } from './helpers/loopback-server';

const TOKEN = makeJwt({ aud: 'https://monitor.azure.com', appid: 'app-7', oid: 'oid-7', tid: 'tid-7' });
const FRESH = makeJwt({ aud: 'https://monitor.azure.com', appid: 'app-8', oid: 'oid-8', tid: 'tid-8' });
const CLAIMS = 'eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==';

/** One scripted answer; `body` may echo the request's Authorization header (a hostile proxy). */
interface Answer {
  readonly status: number;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | ((authorization: string) => string);
}

const echo = (authorization: string): string => `you sent: ${authorization}`;

/** A loopback server answering from a queue (the last answer repeats); `{origin}` in headers is replaced. */
async function scripted(answers: Answer[]): Promise<LoopbackServer> {
  let i = 0;
  let origin = '';
  const server = await startServer((req, res) => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    const headers = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v.replace('{origin}', origin) : v]));
    const body = typeof answer.body === 'function' ? answer.body(req.headers.authorization ?? '') : (answer.body ?? '');
    res.writeHead(answer.status, headers).end(body);
  });
  origin = server.origin;
  return server;
}

/** Everything an outcome says, errors (message and cause) included, as text. */
function outcomeText(outcome: AuthenticatedOutcome): string {
  return JSON.stringify(outcome, (_key, value: unknown) => (value instanceof Error ? `${value.name}: ${value.message} ${String(value.cause)}` : value instanceof URL ? value.href : value));
}

describe('authenticatedRequest', () => {
  const servers: LoopbackServer[] = [];
  const contextManager = new AsyncLocalStorageContextManager();
  let diagCapture: ReturnType<typeof captureDiag>;
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => context.disable());
  beforeEach(() => { diagCapture = captureDiag(); });
  afterEach(async () => {
    // The token never reaches a log line, whatever happened.
    expect(diagCapture.all()).not.toContain(TOKEN);
    expect(diagCapture.all()).not.toContain(FRESH);
    diagCapture.uninstall();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function send(answers: Answer[], options: Partial<AuthenticatedRequestOptions> = {}, path = '/v2.1/track') {
    const server = await scripted(answers);
    servers.push(server);
    const tokens = createCountingTokenProvider({ tokens: [TOKEN, FRESH] });
    const outcome = await authenticatedRequest({
      url: new URL(`${server.origin}${path}`), body: '{"a":1}', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 64 * 1024, ...options,
    });
    expect(outcomeText(outcome)).not.toContain(TOKEN);
    expect(outcomeText(outcome)).not.toContain(FRESH);
    return { outcome, server, tokens };
  }

  it.each([
    ['https to any host', 'https://in.example.com/v2.1/track', true],
    ['plain http to a loopback address', 'http://127.0.0.1:1/v2.1/track', true],
    ['plain http to localhost', 'http://localhost:1/v2.1/track', true],
    ['plain http to ::1', 'http://[::1]:1/v2.1/track', true],
    ['plain http to another host', 'http://in.example.com/v2.1/track', false],
  ])('a token over %s: %s', async (_name, url, allowed) => {
    const tokens = createCountingTokenProvider();
    // An already aborted signal: allowed targets end at the token step, before any connection.
    const outcome = await authenticatedRequest({ url: new URL(url), body: '', tokens, signal: AbortSignal.abort(new Error('stop')), maxResponseBytes: 10 });
    if (allowed) {
      expect(outcome.kind).toBe('credential-failed');
    } else {
      expect(outcome).toMatchObject({ kind: 'insecure', requests: 0 });
      expect((outcome as { error: Error }).error).toBeInstanceOf(ConfigError);
      expect((outcome as { error: Error }).error.message).toContain('refused to send a Microsoft Entra ID token over plain http to http://in.example.com');
      expect(tokens.getTokenCalls).toBe(0);
    }
  });

  it.each<[string, Error, new (...args: never[]) => Error, RegExp]>([
    ['our typed unavailable error, unchanged', new CredentialUnavailableError('no managed identity here'), CredentialUnavailableError, /^no managed identity here$/],
    ['@azure/identity CredentialUnavailableError by name', Object.assign(new Error('ManagedIdentityCredential: no endpoint'), { name: 'CredentialUnavailableError' }), CredentialUnavailableError, /credential unavailable for scope/],
    ['an AADSTS refusal', Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationError' }), CredentialAuthenticationError, /AADSTS7000215/],
    ['anything else', new Error('boom'), CredentialAuthenticationError, /boom/],
  ])('a credential failure (%s) is credential-failed with a typed error, nothing sent', async (_name, thrown, type, message) => {
    const server = await scripted([{ status: 200 }]);
    servers.push(server);
    const tokens = createCountingTokenProvider({ fail: thrown });
    const outcome = await authenticatedRequest({ url: new URL(server.origin), body: '', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 10 });
    expect(outcome).toMatchObject({ kind: 'credential-failed', requests: 0 });
    const { error } = outcome as Extract<AuthenticatedOutcome, { kind: 'credential-failed' }>;
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it('a credential failure on the retry after a 401 keeps that status (for the diagnostic line)', async () => {
    const server = await scripted([{ status: 401 }]);
    servers.push(server);
    let calls = 0;
    const tokens = { scope: 's', getToken: async () => { if (calls++ === 0) return TOKEN; throw new CredentialUnavailableError('gone'); }, invalidate: () => undefined };
    const outcome = await authenticatedRequest({ url: new URL(server.origin), body: '', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 10 });
    expect(outcome).toMatchObject({ kind: 'credential-failed', requests: 1, statusCode: 401 });
  });

  it('a token request that never ends is cut by the signal (credential-failed, nothing sent)', async () => {
    const server = await scripted([{ status: 200 }]);
    servers.push(server);
    const controller = new AbortController();
    const tokens = { scope: 's', getToken: () => new Promise<string>(() => undefined), invalidate: () => undefined };
    const pending = authenticatedRequest({ url: new URL(server.origin), body: '', tokens, signal: controller.signal, maxResponseBytes: 10 });
    controller.abort(new TransportError('timed out'));
    await expect(pending).resolves.toMatchObject({ kind: 'credential-failed', requests: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it.each<[string, Answer[], { status: number; requests: number; invalidations: number; claims: Array<string | undefined>; identity?: object }]>([
    ['200: one request, no invalidation', [{ status: 200, body: '{}' }],
      { status: 200, requests: 1, invalidations: 0, claims: [undefined] }],
    ['401 then 200: invalidate, one retry with a fresh token', [{ status: 401 }, { status: 200 }],
      { status: 200, requests: 2, invalidations: 1, claims: [undefined, undefined] }],
    ['401 with a claims challenge then 200: the retry passes the claims', [{ status: 401, headers: { 'www-authenticate': `Bearer error="insufficient_claims", claims="${CLAIMS}"` } }, { status: 200 }],
      { status: 200, requests: 2, invalidations: 1, claims: [undefined, CLAIMS] }],
    ['401 twice: no second retry; identity of the fresh token', [{ status: 401, body: echo }, { status: 401, body: echo }],
      { status: 401, requests: 2, invalidations: 1, claims: [undefined, undefined], identity: { appid: 'app-8', oid: 'oid-8', tid: 'tid-8' } }],
    ['403: no retry; identity decoded', [{ status: 403, body: echo }],
      { status: 403, requests: 1, invalidations: 0, claims: [undefined], identity: { appid: 'app-7', oid: 'oid-7', tid: 'tid-7', aud: 'https://monitor.azure.com' } }],
    ['500: no retry, no identity', [{ status: 500, body: echo }],
      { status: 500, requests: 1, invalidations: 0, claims: [undefined] }],
  ])('%s', async (_name, answers, expected) => {
    const { outcome, server, tokens } = await send(answers);
    expect(outcome).toMatchObject({ kind: 'response', tokenSent: true, requests: expected.requests, response: { statusCode: expected.status } });
    expect(server.requests).toHaveLength(expected.requests);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(expected.requests === 1 ? [`Bearer ${TOKEN}`] : [`Bearer ${TOKEN}`, `Bearer ${FRESH}`]);
    expect(tokens.invalidateCalls).toBe(expected.invalidations);
    expect(tokens.requests.map((r) => r.claims)).toEqual(expected.claims);
    const identity = (outcome as Extract<AuthenticatedOutcome, { kind: 'response' }>).identity;
    if (expected.identity) expect(identity).toMatchObject(expected.identity);
    else expect(identity).toBeUndefined();
  });

  it('redacts the token from an echoed body', async () => {
    const { outcome } = await send([{ status: 400, body: echo }]);
    expect(outcome).toMatchObject({ kind: 'response', response: { bodyText: 'you sent: Bearer [redacted]' } });
  });

  it('without a token provider: no Authorization, no retry on 401, no identity', async () => {
    const { outcome, server } = await send([{ status: 401 }], { tokens: undefined as never });
    expect(outcome).toMatchObject({ kind: 'response', tokenSent: false, requests: 1, response: { statusCode: 401 } });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect((outcome as Extract<AuthenticatedOutcome, { kind: 'response' }>).identity).toBeUndefined();
  });

  it.each([
    ['shorter than the cap', 10, 64, false],
    ['exactly the cap', 64, 64, false],
    ['longer than the cap', 100_000, 64, true],
  ])('reads a body %s', async (_name, size, cap, truncated) => {
    const { outcome } = await send([{ status: 200, body: 'x'.repeat(size) }], { maxResponseBytes: cap });
    const { response } = outcome as Extract<AuthenticatedOutcome, { kind: 'response' }>;
    expect(response.truncated).toBe(truncated);
    expect(response.bodyText).toBe('x'.repeat(Math.min(size, cap)));
    expect(response.bodyError).toBeUndefined();
  });

  it('a reset mid-body keeps the status and what arrived, with the error', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"partial":');
      setImmediate(() => req.socket.destroy());
    });
    servers.push(server);
    const outcome = await authenticatedRequest({ url: new URL(server.origin), body: '', signal: AbortSignal.timeout(5_000), maxResponseBytes: 1024 });
    expect(outcome).toMatchObject({ kind: 'response', response: { statusCode: 200, bodyText: '{"partial":', truncated: false } });
    expect((outcome as Extract<AuthenticatedOutcome, { kind: 'response' }>).response.bodyError).toBeDefined();
  });

  it('a refused connection is a network outcome', async () => {
    const server = await scripted([{ status: 200 }]);
    const url = new URL(server.origin);
    await server.close();
    const outcome = await authenticatedRequest({ url, body: '', tokens: createCountingTokenProvider(), signal: AbortSignal.timeout(5_000), maxResponseBytes: 10 });
    expect(outcome).toMatchObject({ kind: 'network', requests: 1 });
  });

  it("without a dispatcher sends through core's own one, never undici's global one (the app's)", async () => {
    const server = await scripted([{ status: 200, body: 'ok' }]);
    servers.push(server);
    const globalDispatches: string[] = [];
    class GlobalAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        globalDispatches.push(String(options.origin));
        return super.dispatch(options, handler);
      }
    }
    const appGlobal = new GlobalAgent();
    const symbols = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];
    const previous = symbols.map((symbol) => Reflect.get(globalThis, symbol) as unknown);
    setGlobalDispatcher(appGlobal);
    try {
      const outcome = await authenticatedRequest({ url: new URL(server.origin), body: 'x', signal: AbortSignal.timeout(5_000), maxResponseBytes: 1024 });
      expect(outcome).toMatchObject({ kind: 'response', response: { statusCode: 200, bodyText: 'ok' } });
    } finally {
      symbols.forEach((symbol, i) => Reflect.set(globalThis, symbol, previous[i]));
      await appGlobal.close();
    }
    expect(server.requests).toHaveLength(1);
    expect(globalDispatches).toEqual([]);
  });

  describe('redirects', () => {
    const ingestion = (server: LoopbackServer): RedirectPolicy => createIngestionRedirects(new URL(server.origin));
    const redirectTo = (location: string, status = 307): Answer => ({ status, headers: { location } });

    it('without a policy every response is final (a 307 included)', async () => {
      const { outcome, server } = await send([redirectTo('{origin}/moved'), { status: 200 }]);
      expect(outcome).toMatchObject({ kind: 'response', requests: 1, response: { statusCode: 307 } });
      expect(server.requests).toHaveLength(1);
    });

    it('ingestion policy: follows an allowed 307 with the same body and token', async () => {
      const server = await scripted([redirectTo('{origin}/moved/v2.1/track'), { status: 200 }]);
      servers.push(server);
      const tokens = createCountingTokenProvider({ tokens: [TOKEN] });
      const outcome = await authenticatedRequest({ url: new URL(`${server.origin}/v2.1/track`), body: '{"a":1}', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 1024, redirects: ingestion(server) });
      expect(outcome).toMatchObject({ kind: 'response', requests: 2, response: { statusCode: 200 } });
      expect(outcome.url.href).toBe(`${server.origin}/moved/v2.1/track`);
      expect(server.requests.map((r) => [r.path, r.text, r.headers.authorization])).toEqual([
        ['/v2.1/track', '{"a":1}', `Bearer ${TOKEN}`], ['/moved/v2.1/track', '{"a":1}', `Bearer ${TOKEN}`],
      ]);
    });

    it('ingestion policy: remembers a 308 target, not a 307 one', async () => {
      const server = await scripted([redirectTo('{origin}/temporary', 307), redirectTo('{origin}/permanent', 308), { status: 200 }]);
      servers.push(server);
      const policy = createIngestionRedirects(new URL(server.origin));
      await authenticatedRequest({ url: new URL(server.origin), body: '', signal: AbortSignal.timeout(5_000), maxResponseBytes: 10, redirects: policy });
      expect(policy.permanentUrl()?.href).toBe(`${server.origin}/permanent`);
    });

    it('ingestion policy: refuses a target outside the allowlist without sending there', async () => {
      const server = await scripted([redirectTo('https://evil.example.com/v2.1/track')]);
      servers.push(server);
      // (the network guard would fail this test had anything connected to evil.example.com)
      const refused = await authenticatedRequest({ url: new URL(server.origin), body: '', tokens: createCountingTokenProvider(), signal: AbortSignal.timeout(5_000), maxResponseBytes: 10, redirects: ingestion(server) });
      expect(refused).toMatchObject({ kind: 'redirect-refused', reason: 'not-allowed', statusCode: 307, requests: 1 });
      expect((refused as { error: Error }).error).toBeInstanceOf(ConfigError);
      expect((refused as { error: Error }).error.message).toContain('https://evil.example.com');
    });

    it(`ingestion policy: stops after ${MAX_REDIRECT_HOPS} hops`, async () => {
      const server = await scripted([redirectTo('{origin}/loop')]);
      servers.push(server);
      const outcome = await authenticatedRequest({ url: new URL(server.origin), body: '', signal: AbortSignal.timeout(5_000), maxResponseBytes: 10, redirects: ingestion(server) });
      expect(outcome).toMatchObject({ kind: 'redirect-refused', reason: 'too-many-hops', requests: MAX_REDIRECT_HOPS + 1 });
      expect((outcome as { error: Error }).error).toBeInstanceOf(TransportError);
    });

    it('ingestion policy: a 307 to plain http on another host is refused (no clear-text downgrade)', async () => {
      const server = await scripted([redirectTo('http://in.example.com/v2.1/track')]);
      servers.push(server);
      const refused = await authenticatedRequest({ url: new URL(server.origin), body: '', tokens: createCountingTokenProvider(), signal: AbortSignal.timeout(5_000), maxResponseBytes: 10, redirects: ingestion(server) });
      expect(refused).toMatchObject({ kind: 'redirect-refused', reason: 'not-allowed', requests: 1 });
    });

    it('a policy that allows plain http elsewhere still never gets the token there (insecure)', async () => {
      const server = await scripted([redirectTo('http://in.example.com/v2.1/track')]);
      servers.push(server);
      const lax: RedirectPolicy = { ...createIngestionRedirects(new URL(server.origin)), allows: () => true };
      const tokens = createCountingTokenProvider();
      const outcome = await authenticatedRequest({ url: new URL(server.origin), body: '', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 10, redirects: lax });
      expect(outcome).toMatchObject({ kind: 'insecure', requests: 1 });
      expect(outcome.url.href).toBe('http://in.example.com/v2.1/track');
      expect(tokens.getTokenCalls).toBe(1);
    });

    it('header policy (Live Metrics): reports the named endpoint, never re-sends', async () => {
      const { outcome, server } = await send(
        [{ status: 200, headers: { 'x-ms-qps-service-endpoint-redirect-v2': 'https://westeurope.livediagnostics.monitor.azure.com/' } }],
        { redirects: createHeaderRedirects('x-ms-qps-service-endpoint-redirect-v2') },
      );
      expect(outcome).toMatchObject({ kind: 'response', requests: 1, movedTo: 'https://westeurope.livediagnostics.monitor.azure.com/' });
      expect(server.requests).toHaveLength(1);
    });
  });

  it('runs under suppressTracing: the token request and the send see a suppressed context', async () => {
    const seen: Array<[string, boolean]> = [];
    class RecordingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        seen.push(['send', isTracingSuppressed(context.active())]);
        return super.dispatch(options, handler);
      }
    }
    const dispatcher = new RecordingAgent();
    const inner = createCountingTokenProvider();
    const tokens = { ...inner, scope: inner.scope, getToken: (o?: object) => { seen.push(['token', isTracingSuppressed(context.active())]); return inner.getToken(o); }, invalidate: () => inner.invalidate() };
    try {
      expect(isTracingSuppressed(context.active())).toBe(false);
      await send([{ status: 401 }, { status: 200 }], { tokens, dispatcher, onResponse: () => seen.push(['response', isTracingSuppressed(context.active())]) });
      expect(isTracingSuppressed(context.active())).toBe(false); // the caller's context is untouched
    } finally {
      await dispatcher.close();
    }
    expect(seen).toEqual([['token', true], ['send', true], ['response', true], ['token', true], ['send', true], ['response', true]]);
  });
});
