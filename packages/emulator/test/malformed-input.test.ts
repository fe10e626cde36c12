// Review findings: inputs that used to get a 500 (or a wrong answer) from the emulator, and config and CLI mistakes.
import { startEmulator, type EmulatorHandle } from '../src/start-emulator';
import { checkChaosAction } from '../src/chaos/create-chaos';
import { parseCliArgs } from '../src/cli/parse-cli-args';
import { parseConfig } from '../src/config/parse-config';
import { DEFAULT_IDS } from '../src/config/emulator-config';
import { EmulatorError } from '../src/errors';
import { envelope, postItems, send, sendHttps } from './helpers/envelopes';

describe('emulator: malformed input', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulator();
    // The first query loads Kusto.Language, blocking the event loop for seconds: do it before any
    // keep-alive socket sits idle (the server would reset it when the loop resumes).
    emu.query('requests | take 1');
  }, 120_000);
  afterAll(async () => { await emu.close(); });

  it('refuses a severity name outside the SeverityLevel enum (an Object.prototype member) instead of storing a function', async () => {
    const token = emu.issueToken({ identity: 'ci-principal' });
    const res = await postItems(`${emu.ingestionUrl}/v2.1/track`, [
      envelope(DEFAULT_IDS.instrumentationKey, 'MessageData', { message: 'proto', severityLevel: 'constructor' }),
    ], { token });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: expect.stringContaining("'severityLevel' on type 'MessageData'") }] });
    expect(emu.items('traces').find((r) => r['message'] === 'proto')).toBeUndefined();
  });

  it('reads only own keys of dynamic columns (customDimensions.constructor is null)', async () => {
    const token = emu.issueToken({ identity: 'ci-principal' });
    await postItems(`${emu.ingestionUrl}/v2.1/track`, [
      envelope(DEFAULT_IDS.instrumentationKey, 'EventData', { name: 'proto-event', properties: { tier: 'gold' } }),
    ], { token });
    const result = emu.query('customEvents | where name == "proto-event" | project c = customDimensions.constructor, t = customDimensions.tier');
    expect(result.tables[0]?.rows).toEqual([[null, 'gold']]);
  });

  it('answers 404, not 500, for a query path with broken percent-encoding', async () => {
    const res = await send(`${emu.queryEndpoint}/v1/apps/%E0%A4%A/query`, { method: 'GET' });
    expect(res.status).toBe(404);
  });

  it('answers 413 for a query body over 1 MB', async () => {
    const token = emu.issueToken({ identity: 'ci-principal', audience: 'https://api.applicationinsights.io' });
    const res = await send(`${emu.queryEndpoint}/v1/apps/${DEFAULT_IDS.applicationId}/query`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'requests | take 1', pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
  });

  it('answers 401 invalid_client, not 500, for HTTP Basic credentials with broken percent-encoding', async () => {
    const basic = Buffer.from('%E0%A4%A:secret').toString('base64');
    const res = await sendHttps(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, emu.caCertPem, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=https%3A%2F%2Fmonitor.azure.com%2F.default',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('emulator: chaos, config and CLI checks', () => {
  it.each([
    [{ headers: { 'bad name': 'x' } }], [{ headers: { 'x-ok': 'a\nb' } }], [{ delayMillis: 2 ** 31 }], [{ status: 102 }],
  ])('rejects %j up front instead of failing the request later', (action) => {
    expect(checkChaosAction(action)).toBeDefined();
  });

  it('refuses a config without resources and ids used twice', () => {
    expect(() => parseConfig('{"resources":[]}')).toThrow('at least one resource');
    const twice = { name: 'a', instrumentationKey: 'aaaaaaaa-0000-4000-8000-000000000001' };
    expect(() => parseConfig(JSON.stringify({ resources: [twice, { ...twice, name: 'b' }] }))).toThrow(EmulatorError);
    expect(() => parseConfig(JSON.stringify({ resources: [twice, { ...twice, name: 'b' }] }))).toThrow('"instrumentationKey" is already used');
  });

  it('shows help for `start --help`, and `--port 0` alone frees the token port too', () => {
    expect(parseCliArgs(['start', '--help']).command).toBe('help');
    expect(parseCliArgs(['start', '-h']).command).toBe('help');
    expect(parseCliArgs(['start', '--port', '0'])).toMatchObject({ port: 0, tokenPort: 0 });
    expect(parseCliArgs(['start', '--port', '0', '--token-port', '5000'])).toMatchObject({ port: 0, tokenPort: 5000 });
  });
});
