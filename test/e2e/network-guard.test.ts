import * as dns from 'node:dns';
import * as http from 'node:http';
import * as net from 'node:net';

const guard = require('../../scripts/network-guard.cjs') as {
  isLoopbackHost(h: string | undefined): boolean;
  install(): { violations: string[]; quiet: boolean };
};

// These suites provoke refusals on purpose: quiet mode records them (each test checks them, then
// afterEach clears them) without printing a NETWORK GUARD line into a passing run's output.
function captureRefusals(state: { violations: string[]; quiet: boolean }): void {
  beforeAll(() => { state.quiet = true; });
  afterAll(() => { state.quiet = false; });
  afterEach(() => state.violations.splice(0));
}

describe('network guard', () => {
  const state = guard.install();
  captureRefusals(state);

  it.each([
    ['127.0.0.1', true], ['127.5.6.7', true], ['::1', true], ['[::1]', true], ['localhost', true],
    ['::ffff:127.0.0.1', true], ['169.254.169.254', false], ['10.0.0.1', false], ['8.8.8.8', false],
    ['dc.services.visualstudio.com', false], ['login.microsoftonline.com', false], ['::2', false],
  ])('classifies %s as loopback=%s', (host, expected) => {
    expect(guard.isLoopbackHost(host)).toBe(expected);
  });

  it('refuses a TCP connect to IMDS and records it', async () => {
    const err = await new Promise<Error>((resolve) => {
      const s = net.connect({ host: '169.254.169.254', port: 80 });
      s.on('error', resolve);
      s.on('connect', () => resolve(new Error('connected')));
    });
    expect((err as NodeJS.ErrnoException).code).toBe('ENETGUARD');
    expect(state.violations.join('\n')).toContain('169.254.169.254');
  });

  it('records a refusal it was told to expect without printing it', async () => {
    const write = jest.spyOn(process.stderr, 'write');
    try {
      await new Promise<void>((resolve) => {
        const s = net.connect({ host: '169.254.169.254', port: 80 });
        s.on('error', () => resolve());
        s.on('connect', () => resolve());
      });
      expect(state.violations).toEqual([expect.stringContaining('NETWORK GUARD: refused connect to 169.254.169.254')]);
      expect(write.mock.calls.map((c) => String(c[0])).filter((t) => t.includes('NETWORK GUARD'))).toEqual([]);
    } finally {
      write.mockRestore();
    }
  });

  it('refuses a DNS lookup of a public name (callback and promise forms)', async () => {
    const cbErr = await new Promise<NodeJS.ErrnoException | null>((resolve) => dns.lookup('dc.services.visualstudio.com', (e) => resolve(e)));
    expect(cbErr?.code).toBe('ENETGUARD');
    await expect(dns.promises.lookup('login.microsoftonline.com')).rejects.toMatchObject({ code: 'ENETGUARD' });
  });

  it('refuses an http request to a public host before any packet leaves', async () => {
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      http.get('http://dc.services.visualstudio.com/v2/track', () => resolve(new Error('answered'))).on('error', resolve);
    });
    expect(err.code).toBe('ENETGUARD');
  });

  it('refuses fetch (undici) to a public address', async () => {
    await expect(fetch('http://192.0.2.1/')).rejects.toBeDefined();
    expect(state.violations.length).toBeGreaterThan(0);
  });

  it('lets loopback through', async () => {
    const server = http.createServer((_q, r) => r.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    await new Promise((r) => server.close(r));
    expect(body).toBe('ok');
    expect(state.violations).toEqual([]);
  });
});

describe('network guard: UDP', () => {
  const state = guard.install();
  captureRefusals(state);

  it('refuses a UDP datagram to a public address and lets loopback through', async () => {
    const dgram = require('node:dgram') as typeof import('node:dgram');
    const socket = dgram.createSocket('udp4');
    const err = await new Promise<Error | null>((resolve) => socket.send('x', 53, '8.8.8.8', (e) => resolve(e)));
    expect((err as NodeJS.ErrnoException | null)?.code).toBe('ENETGUARD');
    const ok = await new Promise<Error | null>((resolve) => socket.send('x', 9, '127.0.0.1', (e) => resolve(e)));
    expect(ok).toBeNull();
    socket.close();
    expect(state.violations).toHaveLength(1);
  });
});
