// The CLI's run loop in-process: config file, printed connection string and env lines, chaos flag, stop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../../packages/emulator/src/cli/run-cli';
import { formatBanner, PASTE_BLOCK_HEADING } from '../../packages/emulator/src/cli/format-banner';
import { startEmulator, type EmulatorHandle } from '@appinsights-otel/emulator';
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
    expect(text).toContain(`export APPLICATIONINSIGHTS_CONNECTION_STRING='InstrumentationKey=cccccccc-0000-4000-8000-000000000001;IngestionEndpoint=${emu.ingestionUrl}/;ApplicationId=dddddddd-0000-4000-8000-000000000001'`);
    expect(emu.caCertPath).toBe(path.join(dir, `emulator-ca-127.0.0.1-${emu.tokenPort}.pem`));
    expect(text).toContain(`export NODE_EXTRA_CA_CERTS='${emu.caCertPath}'`);
    expect(text).toMatch(/export IDENTITY_ENDPOINT='http:\/\/127\.0\.0\.1:\d+\/msi\/token'/);
    expect(text).toMatch(/export IDENTITY_HEADER='[0-9a-f]{32}'/);
    expect(text).toContain(`clientSecret ${emu.servicePrincipal('ci-principal').clientSecret}`);
    expect(text).toContain(`authorityHost ${emu.authorityHost}`);
    const token = emu.issueToken({ identity: 'ci-principal' });
    const track = `${emu.ingestionUrl}/v2.1/track`;
    expect((await postItems(track, [requestEnvelope('cccccccc-0000-4000-8000-000000000001')], { token })).status).toBe(503);
    expect((await postItems(track, [requestEnvelope('cccccccc-0000-4000-8000-000000000001')], { token })).status).toBe(200);
    expect(fs.existsSync(path.join(dir, 'telemetry.sqlite'))).toBe(true);
    stop('SIGTERM');
    await expect(exit).resolves.toBe(0);
    expect(out.at(-1)).toContain('SIGTERM: stopping');
    expect(fs.existsSync(emu.caCertPath)).toBe(false); // this instance's certificate goes with it
  });

  it('prints a paste block of export lines that a shell accepts, with no service principal a credential would take to login.microsoftonline.com', async () => {
    const emu = await startEmulator({ dataDir: dir });
    try {
      const banner = formatBanner(emu);
      const lines = banner.split('\n');
      const start = lines.indexOf(PASTE_BLOCK_HEADING);
      expect(start).toBeGreaterThan(0);
      const end = lines.indexOf('', start);
      const block = lines.slice(start, end === -1 ? undefined : end);
      expect(block.filter((l) => !l.startsWith('#')).every((l) => l.startsWith('export '))).toBe(true);
      expect(banner).not.toMatch(/AZURE_(CLIENT_ID|CLIENT_SECRET|TENANT_ID)\s*=/); // not even commented out
      const env = execFileSync('/bin/sh', ['-c', `${block.join('\n')}\nenv`], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
      const exported = new Map(env.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      expect(exported.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(emu.connectionString());
      expect(exported.get('NODE_EXTRA_CA_CERTS')).toBe(emu.caCertPath);
      expect(exported.get('IDENTITY_ENDPOINT')).toBe(emu.managedIdentityEnv().IDENTITY_ENDPOINT);
      expect(exported.get('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe('Authorization=AAD');
      expect([...exported.keys()].filter((k) => k.startsWith('AZURE_'))).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it('gives each instance its own certificate file, even with one data dir, and removes only its own', async () => {
    const first = await startEmulator({ dataDir: dir });
    const second = await startEmulator({ dataDir: dir });
    try {
      expect(first.caCertPath).not.toBe(second.caCertPath);
      expect(fs.readFileSync(first.caCertPath, 'utf8')).toBe(first.caCertPem);
      expect(fs.readFileSync(second.caCertPath, 'utf8')).toBe(second.caCertPem);
      expect(first.caCertPem).not.toBe(second.caCertPem);
      await first.close();
      expect(fs.existsSync(first.caCertPath)).toBe(false);
      expect(fs.readFileSync(second.caCertPath, 'utf8')).toBe(second.caCertPem);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it.each([['--version'], ['-v'], ['version'], ['start', '--version']])('%s prints the package version', async (...argv) => {
    const out: string[] = [];
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`), stopSignal: new Promise(() => undefined) });
    expect(code).toBe(0);
    expect(out).toEqual([JSON.parse(fs.readFileSync(path.join(__dirname, '../../packages/emulator/package.json'), 'utf8')).version]);
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
