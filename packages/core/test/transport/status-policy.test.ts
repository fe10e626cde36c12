import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthError, CredentialUnavailableError, TransportError } from '../../src/errors';
import { createHttpTransport } from '../../src/transport/http-transport';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import { STATUS_POLICY, classifyStatus, type StatusPolicyKey } from '../../src/transport/status-policy';
import type { SendOutcome, Transport } from '../../src/transport/transport-types';
import { createDiagnostics } from '../../src/diag/diagnostics';
import { createCountingTokenProvider, makeJwt } from './helpers/fake-token-provider';
import { reply, startServer, trackResponse, useLoopbackFixtures } from './helpers/loopback-server';
import { recordingLogger } from './helpers/capture-diag';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const { server, track } = useLoopbackFixtures();

function transport(endpoint: string, tokenProvider?: ReturnType<typeof createCountingTokenProvider>): Transport {
  const t = createHttpTransport({
    endpoint, instrumentationKey: IKEY, signalName: 'traces', requestTimeoutMillis: 2_000,
    diagnostics: createDiagnostics({ logger: recordingLogger() }),
    ...(tokenProvider ? { tokenProvider } : {}),
  });
  return track(t);
}

async function body(items = 4) {
  return encodeEnvelopes(Array.from({ length: items }, (_, i) => ({ name: `item-${i}` })), true);
}


/** One scenario per line of DESIGN.md section 5; each returns the outcome it produced. */
const SCENARIOS: Record<StatusPolicyKey, () => Promise<SendOutcome | 'followed'>> = {
  async success() {
    const s = await server(reply(200, trackResponse(4, 4)));
    const outcome = await transport(s.origin).send(await body(), 5_000);
    expect(outcome).toEqual({ status: 'success', itemCount: 4 });
    return outcome;
  },
  async partial() {
    const s = await server(reply(206, trackResponse(4, 1, [
      { index: 0, statusCode: 500, message: 'Internal error' },
      { index: 1, statusCode: 400, message: 'Field name is required' },
      { index: 2, statusCode: 400, message: 'Telemetry sampled out.' },
      { index: 3, statusCode: 429, message: 'Too many requests' },
    ])));
    const outcome = await transport(s.origin).send(await body(4), 5_000);
    expect(outcome).toEqual({
      status: 'partial', accepted: 1, retryIndexes: [0, 3], dropped: 1, reasons: ['400: Field name is required'],
      retryStatusCodes: [500, 429], droppedItems: [{ index: 1, statusCode: 400 }],
    });
    return outcome;
  },
  async 'auth-not-supported'() {
    const s = await server(reply(400, '', {}, 'Authentication not supported'));
    const outcome = await transport(s.origin).send(await body(), 5_000);
    expect(s.requests[0]?.path).toBe('/v2/track');
    expect(outcome.status).toBe('auth-failed');
    const error = (outcome as { error: AuthError }).error;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('accepts only Microsoft Entra ID authenticated telemetry');
    expect(error.message).toContain('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
    return outcome;
  },
  async invalid() {
    for (const status of [400, 404, 413, 422]) {
      const s = await server(reply(status, 'Invalid telemetry'));
      const outcome = await transport(s.origin).send(await body(), 5_000);
      expect(outcome.status).toBe('failure');
      expect((outcome as unknown as { error: TransportError }).error.statusCode).toBe(status);
    }
    const s = await server(reply(400, 'Invalid telemetry'));
    return transport(s.origin).send(await body(), 5_000);
  },
  async unauthorized() {
    const s = await server(reply(401, '', { 'www-authenticate': 'Bearer authorization_uri="x", error="invalid_token"' }));
    const tokens = createCountingTokenProvider({ tokens: [makeJwt({ aud: 'https://monitor.azure.us' }), makeJwt({ aud: 'https://monitor.azure.us', n: 2 })] });
    const outcome = await transport(s.origin, tokens).send(await body(), 5_000);
    expect(s.requests).toHaveLength(2); // retried once with a fresh token
    expect(s.requests[0]?.headers.authorization).not.toBe(s.requests[1]?.headers.authorization);
    expect(tokens.invalidateCalls).toBe(1);
    expect(outcome.status).toBe('auth-failed');
    const error = (outcome as { error: AuthError }).error;
    expect(error.statusCode).toBe(401);
    expect(error.message).toContain('https://monitor.azure.com/.default');
    expect(error.message).toContain('audience https://monitor.azure.us');
    return outcome;
  },
  async forbidden() {
    const s = await server(reply(403, 'provided credentials do not grant the access to ingest the telemetry into the component'));
    const tokens = createCountingTokenProvider({ tokens: [makeJwt({ appid: 'app-42', oid: 'oid-42', tid: 'tid-42' })] });
    const outcome = await transport(s.origin, tokens).send(await body(), 5_000);
    expect(s.requests).toHaveLength(1);
    expect(tokens.invalidateCalls).toBe(0);
    const error = (outcome as { error: AuthError }).error;
    expect(error.statusCode).toBe(403);
    expect(error.message).toContain('identity appid=app-42 oid=oid-42 tid=tid-42');
    expect(error.message).toContain('Monitoring Metrics Publisher');
    return outcome;
  },
  async quota() {
    const s402 = await server(reply(402, ''));
    const paused = await transport(s402.origin).send(await body(), 5_000);
    expect(paused).toMatchObject({ status: 'retryable', pause: true, retryAfterMillis: 300_000 });
    const s439 = await server(reply(439, '', { 'retry-after': '120' }));
    const outcome = await transport(s439.origin).send(await body(), 5_000);
    expect(outcome).toMatchObject({ status: 'retryable', pause: true, retryAfterMillis: 120_000 });
    return outcome;
  },
  async transient() {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      const s = await server(reply(status, '<html><body>Service Unavailable</body></html>', { 'retry-after': '3' }));
      const outcome = await transport(s.origin).send(await body(), 5_000);
      expect(outcome).toMatchObject({ status: 'retryable', retryAfterMillis: 3_000 });
      expect((outcome as unknown as { error: TransportError }).error.statusCode).toBe(status);
    }
    const refused = await startServer(reply(200)); // untracked: closed here, so nothing listens
    const origin = refused.origin;
    await refused.close();
    const network = await transport(origin).send(await body(), 5_000);
    expect(network.status).toBe('retryable');
    const hang = await server(() => undefined);
    const timedOut = await transport(hang.origin).send(await body(), 200);
    expect(timedOut.status).toBe('retryable');
    return timedOut;
  },
  async redirect() {
    const target = await server(reply(200, trackResponse(4, 4)));
    const s = await server(reply(307, '', { location: `${target.origin}/elsewhere/v2.1/track?x=1` }));
    const outcome = await transport(s.origin, createCountingTokenProvider()).send(await body(), 5_000);
    expect(target.requests[0]?.path).toBe('/elsewhere/v2.1/track?x=1');
    expect(outcome).toEqual({ status: 'success', itemCount: 4 });
    return 'followed';
  },
  async 'credential-error'() {
    const s = await server(reply(200));
    const tokens = createCountingTokenProvider({ fail: new CredentialUnavailableError('ManagedIdentityCredential: no identity endpoint') });
    const outcome = await transport(s.origin, tokens).send(await body(), 5_000);
    expect(s.requests).toHaveLength(0);
    expect((outcome as { error: Error }).error).toBeInstanceOf(CredentialUnavailableError);
    return outcome;
  },
};

describe('status policy (DESIGN.md section 5), against a loopback server', () => {
  it.each(STATUS_POLICY.map((row) => [row.response, row] as const))('%s', async (_label, row) => {
    const result = await SCENARIOS[row.key]();
    expect(result === 'followed' ? 'follow' : result.status).toBe(row.outcome);
  });

  it('matches the table in docs/errors-and-retries.md, row for row', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'errors-and-retries.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Status policy'), doc.indexOf('Statuses the table does not name'));
    const firstColumn = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| response')).map((l) => l.split(' | ')[0]?.slice(2));
    expect(firstColumn).toEqual(STATUS_POLICY.map((r) => r.response));
  });

  it('has exactly the ten rows of DESIGN.md section 5, in order', () => {
    expect(STATUS_POLICY.map((r) => r.key)).toEqual([
      'success', 'partial', 'auth-not-supported', 'invalid', 'unauthorized', 'forbidden', 'quota', 'transient', 'redirect', 'credential-error',
    ]);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, {}, 'success'], [204, {}, 'success'], [206, {}, 'partial'],
    [400, { statusText: 'Authentication not supported' }, 'auth-not-supported'],
    [400, { bodyText: '{"error":"Authentication not support"}' }, 'auth-not-supported'],
    [400, { bodyText: 'Invalid instrumentation key' }, 'invalid'],
    [401, {}, 'unauthorized'], [403, {}, 'forbidden'], [402, {}, 'quota'], [439, {}, 'quota'],
    [408, {}, 'transient'], [429, {}, 'transient'], [503, {}, 'transient'], [507, {}, 'transient'],
    [307, {}, 'redirect'], [308, {}, 'redirect'], [301, {}, 'invalid'], [404, {}, 'invalid'], [413, {}, 'invalid'],
  ] as const)('classifies %i %j as %s', (status, facts, key) => {
    expect(classifyStatus(status, facts)).toBe(key);
  });
});
