// The CLI's run loop in-process: config file, printed connection string and env lines, chaos flag, stop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../packages/emulator/src/cli/run-cli';
import type { EmulatorHandle } from '@appinsights-otel/emulator';
import { postItems, requestEnvelope } from '../../packages/emulator/test/helpers/envelopes';

describe('appinsights-emulator start', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-cli-test-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts from a config file, prints the connection string and env lines, applies --chaos, stops on the signal', async () => {
    const configPath = path.join(dir, 'emulator.json');
    fs.writeFileSync(configPath, JSON.stringify({
      resources: [{ name: 'shop', instrumentationKey: 'cccccccc-0000-4000-8000-000000000001', applicationId: 'dddddddd-0000-4000-8000-000000000001' }],
    }));
    const out: string[] = [];
    let stop: (s: string) => void = () => undefined;
    let started: (e: EmulatorHandle) => void = () => undefined;
    const emuReady = new Promise<EmulatorHandle>((r) => (started = r));
    const exit = runCli(['start', '--port', '0', '--token-port', '0', '--data-dir', dir, '--config', configPath, '--chaos', '{"count":1,"status":503}'], {
      out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`), stopSignal: new Promise((r) => (stop = r)), onStarted: started,
    });
    const emu = await emuReady;
    const text = out.join('\n');
    expect(text).toContain(`APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=cccccccc-0000-4000-8000-000000000001;IngestionEndpoint=${emu.ingestionUrl}/;ApplicationId=dddddddd-0000-4000-8000-000000000001"`);
    expect(text).toContain(`NODE_EXTRA_CA_CERTS="${path.join(dir, 'emulator-ca.pem')}"`);
    expect(text).toMatch(/IDENTITY_ENDPOINT="http:\/\/127\.0\.0\.1:\d+\/msi\/token"/);
    expect(text).toMatch(/IDENTITY_HEADER="[0-9a-f]{32}"/);
    expect(text).toContain(`AZURE_AUTHORITY_HOST="${emu.authorityHost}"`);
    expect(text.match(/AZURE_CLIENT_SECRET=/g)).toHaveLength(2); // one with the role, one without
    const token = emu.issueToken({ identity: 'ci-principal' });
    const track = `${emu.ingestionUrl}/v2.1/track`;
    expect((await postItems(track, [requestEnvelope('cccccccc-0000-4000-8000-000000000001')], { token })).status).toBe(503);
    expect((await postItems(track, [requestEnvelope('cccccccc-0000-4000-8000-000000000001')], { token })).status).toBe(200);
    expect(fs.existsSync(path.join(dir, 'telemetry.sqlite'))).toBe(true);
    stop('SIGTERM');
    await expect(exit).resolves.toBe(0);
    expect(out.at(-1)).toContain('SIGTERM: stopping');
  });

  it('exits 2 with a message for a bad config file', async () => {
    const configPath = path.join(dir, 'bad.json');
    fs.writeFileSync(configPath, '{"resources":[{"name":"x","instrumentationKey":"nope"}]}');
    const err: string[] = [];
    const code = await runCli(['start', '--port', '0', '--token-port', '0', '--config', configPath], { out: () => undefined, err: (t) => err.push(t), stopSignal: new Promise(() => undefined) });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('"instrumentationKey" must be a GUID');
  });
});
