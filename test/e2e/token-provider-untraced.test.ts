/**
 * Our token provider's credential calls never become telemetry. Set-up as an application with the
 * distro would have it: a recording tracer provider (SDK, in-memory exporter), an async-hooks
 * context manager, and the distro's Azure SDK bridge (`createOtelInstrumenter`) installed in
 * @azure/core-tracing, so `@azure/identity`'s own spans are recorded. The REAL
 * ManagedIdentityCredential (App Service source, loopback IDENTITY_ENDPOINT; see
 * managed-identity.test.ts for how @azure/identity reads it) then:
 * - called directly, records its `ManagedIdentityCredential.getToken` span (the set-up works);
 * - called by createTokenProvider (and by authenticatedRequest through it), records nothing.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { useInstrumenter } from '@azure/core-tracing';
import { ManagedIdentityCredential } from '@azure/identity';
import { createTokenProvider } from '../../packages/core/src/auth/create-token-provider';
import { authenticatedRequest } from '../../packages/core/src/transport/authenticated-request';
import { createOtelInstrumenter } from '../../packages/distro/src/instrumentations/create-otel-instrumenter';

const guard = require('../../scripts/network-guard.cjs') as { install(): { violations: string[] } };

const IDENTITY_HEADER = 'untraced-identity-header';
const MSI_VARIABLES = [
  'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET',
  'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'DEFAULT_IDENTITY_CLIENT_ID', 'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID', 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy',
];

function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

describe('token acquisition is never traced (real ManagedIdentityCredential, recording tracer, Azure SDK bridge)', () => {
  const guardState = guard.install();
  const savedEnv = new Map<string, string | undefined>();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let identity: http.Server;
  let api: http.Server;
  let apiOrigin: string;
  let tokenRequests = 0;

  beforeAll(async () => {
    identity = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.headers['x-identity-header'] !== IDENTITY_HEADER) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      tokenRequests += 1;
      const resource = url.searchParams.get('resource') ?? '';
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        access_token: fakeJwt({ aud: resource, tid: 't', oid: 'o', appid: 'a', exp: expiresOn }),
        expires_on: String(expiresOn), resource, token_type: 'Bearer',
      }));
    });
    api = http.createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end('{}')); });
    await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    for (const name of MSI_VARIABLES) {
      savedEnv.set(name, process.env[name]);
      delete process.env[name];
    }
    process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`;
    process.env.IDENTITY_HEADER = IDENTITY_HEADER;
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
    useInstrumenter(createOtelInstrumenter({
      getTracer: (name, version) => provider.getTracer(name, version),
      isOwnUrl: () => false, // so that nothing but suppression can keep a span out
      isEnabled: () => true,
    }));
  });

  afterAll(async () => {
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    trace.disable();
    context.disable();
    await provider.shutdown();
    identity.closeAllConnections();
    api.closeAllConnections();
    await new Promise((resolve) => identity.close(resolve));
    await new Promise((resolve) => api.close(resolve));
  });

  beforeEach(() => exporter.reset());
  afterEach(() => expect(guardState.violations).toEqual([]));

  it('control: a direct getToken() inside a traced operation records the credential span', async () => {
    const credential = new ManagedIdentityCredential();
    await provider.getTracer('app').startActiveSpan('operation', async (span) => {
      await credential.getToken('https://control.example/.default');
      span.end();
    });
    const names = exporter.getFinishedSpans().map((s) => s.name);
    expect(names).toContain('ManagedIdentityCredential.getToken');
    expect(names).toContain('operation');
  });

  it('createTokenProvider: the same credential call inside a traced operation records no span but the operation', async () => {
    const credential = new ManagedIdentityCredential();
    const tokens = createTokenProvider(credential, 'https://monitor.azure.com/.default');
    const before = tokenRequests;
    await provider.getTracer('app').startActiveSpan('operation', async (span) => {
      await expect(tokens.getToken()).resolves.toMatch(/^eyJ/);
      span.end();
    });
    expect(tokenRequests).toBe(before + 1); // the credential really went to the identity endpoint
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['operation']);
  });

  it('authenticatedRequest: neither the token request nor the send records a span', async () => {
    const credential = new ManagedIdentityCredential();
    const tokens = createTokenProvider(credential, 'https://api.applicationinsights.io/.default');
    const before = tokenRequests;
    await provider.getTracer('app').startActiveSpan('operation', async (span) => {
      const outcome = await authenticatedRequest({ url: new URL(`${apiOrigin}/v1/apps/x/query`), body: '{}', tokens, signal: AbortSignal.timeout(5_000), maxResponseBytes: 1024 });
      expect(outcome).toMatchObject({ kind: 'response', response: { statusCode: 200 } });
      span.end();
    });
    expect(tokenRequests).toBe(before + 1);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['operation']);
  });
});
