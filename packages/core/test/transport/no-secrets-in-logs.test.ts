import { CredentialAuthenticationError, CredentialUnavailableError } from '../../src/errors';
import { createHttpTransport } from '../../src/transport/http-transport';
import { encodeEnvelopes } from '../helpers/encode-envelopes';
import type { Transport } from '../../src/transport/transport-types';
import { captureDiag, type DiagCapture } from './helpers/capture-diag';
import { createCountingTokenProvider, makeJwt } from './helpers/fake-token-provider';
import { startServer, type Handler, type LoopbackServer } from './helpers/loopback-server';

const IKEY = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const CLIENT_SECRET = 'Zq8~s3cr3t-VALUE-never-log';
const JWT = makeJwt({ aud: 'https://monitor.azure.com', appid: 'app-9', oid: 'oid-9', tid: 'tid-9', secretish: CLIENT_SECRET });
const OPAQUE = 'opaque-token-0123456789abcdef';
const PAYLOAD_MARKER = 'payload-marker-do-not-log';

let capture: DiagCapture;
const servers: LoopbackServer[] = [];
const transports: Transport[] = [];

beforeEach(() => { capture = captureDiag(); });
afterEach(async () => {
  capture.uninstall();
  await Promise.all(transports.splice(0).map((t) => t.shutdown()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function run(handler: Handler, tokens: ReturnType<typeof createCountingTokenProvider>): Promise<void> {
  const s = await startServer(handler);
  servers.push(s);
  // Default diagnostics: lines go through the global diag API, captured at ALL levels.
  const t = createHttpTransport({
    endpoint: s.origin, instrumentationKey: IKEY, signalName: 'traces', tokenProvider: tokens,
  });
  transports.push(t);
  const body = await encodeEnvelopes([{ name: 'x', data: { marker: PAYLOAD_MARKER } }], false);
  const outcome = await t.send(body, 5_000);
  expect(outcome.status).not.toBe('success');
}

function expectNoSecrets(): void {
  const all = capture.all();
  expect(capture.lines.length).toBeGreaterThan(0);
  for (const secret of [JWT, JWT.split('.')[1]!, OPAQUE, CLIENT_SECRET, IKEY, PAYLOAD_MARKER]) {
    expect(all).not.toContain(secret);
  }
}

const echo = (status: number): Handler => (req, res, recorded) =>
  res.writeHead(status, { 'www-authenticate': `Bearer error="invalid_token", echo="${req.headers.authorization ?? ''}"` })
    .end(`rejected ${req.headers.authorization ?? ''} for ${recorded.text ?? ''}`);

describe('diagnostics never contain tokens, secrets, the full ikey or payloads', () => {
  it.each([
    ['401 (twice)', echo(401)],
    ['403', echo(403)],
    ['500 echoing the request', echo(500)],
    ['400 echoing the request', echo(400)],
  ])('%s', async (_name, handler) => {
    await run(handler, createCountingTokenProvider({ tokens: [JWT, OPAQUE] }));
    expectNoSecrets();
  });

  it('redirect to a disallowed host', async () => {
    const s = await startServer((_req, res) => res.writeHead(200).end());
    servers.push(s);
    await run((_req, res) => res.writeHead(307, { location: `http://localhost:${s.port}/v2.1/track?token=${OPAQUE}` }).end(),
      createCountingTokenProvider({ tokens: [OPAQUE] }));
    expect(s.requests).toHaveLength(0);
    expectNoSecrets();
    expect(capture.all()).toContain('redirected (307) to http://localhost:');
  });

  it.each([
    ['unavailable', new CredentialUnavailableError('ManagedIdentityCredential: no identity endpoint', { cause: new Error(CLIENT_SECRET) })],
    ['authentication failed', new CredentialAuthenticationError('AADSTS7000215: Invalid client secret provided.', 'AADSTS7000215', { cause: new Error(`client_secret=${CLIENT_SECRET}`) })],
    ['untyped, with a token in its message', new Error(`failed: ${JWT}`)],
  ])('credential error: %s', async (_name, error) => {
    await run((_req, res) => res.writeHead(200).end(), createCountingTokenProvider({ fail: error }));
    expectNoSecrets();
  });
});
