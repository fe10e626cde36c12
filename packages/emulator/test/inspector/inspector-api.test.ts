import * as http from 'node:http';
import * as https from 'node:https';
import { startEmulator, type EmulatorHandle } from '../../src/start-emulator';
import { DEFAULT_IDS } from '../../src/config/emulator-config';

interface Answer { status: number; headers: http.IncomingHttpHeaders; text: string }

function request(emu: EmulatorHandle, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: emu.port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${emu.port}`, ...options.headers }, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens the event stream and resolves with the first `request` event that matches. */
function nextEvent(emu: EmulatorHandle, match: (view: Record<string, unknown>) => boolean): { event: Promise<Record<string, unknown>>; close(): void } {
  let req: http.ClientRequest | undefined;
  const event = new Promise<Record<string, unknown>>((resolve, reject) => {
    req = http.get({ host: '127.0.0.1', port: emu.port, path: '/inspector/api/events' }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buffer += c;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data && /^event: request$/m.test(block)) {
            const view = JSON.parse(data) as Record<string, unknown>;
            if (match(view)) resolve(view);
          }
        }
      });
    });
    req.on('error', reject);
  });
  return { event, close: () => req?.destroy() };
}

const message = (ikey: string): string => JSON.stringify([{ name: 'Microsoft.ApplicationInsights.Message', time: new Date().toISOString(), iKey: ikey, data: { baseType: 'MessageData', baseData: { ver: 2, message: 'hello' } } }]);

describe('inspector API', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('streams each answered request with its decision in words, and does not log its own requests', async () => {
    const stream = nextEvent(emu, (v) => v['status'] === 403);
    const token = emu.issueToken({ identity: DEFAULT_IDS.noRoleName });
    const res = await fetch(`${emu.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: message(emu.resource().instrumentationKey) });
    expect(res.status).toBe(403);
    const view = await stream.event;
    stream.close();
    expect(view).toMatchObject({
      service: 'ingestion', path: '/v2.1/track', itemsReceived: 1,
      claims: { aud: 'https://monitor.azure.com', oid: DEFAULT_IDS.noRoleObjectId, appid: DEFAULT_IDS.noRoleClientId, identity: 'no-role', rolesHeld: [] },
      decision: { allowed: false, reason: `identity no-role lacks Monitoring Metrics Publisher on this resource (${DEFAULT_IDS.resourceName})` },
    });
    expect(JSON.stringify(view)).not.toContain(token);
    expect(emu.requests().some((r) => r.path.startsWith('/inspector'))).toBe(false);
  });

  it('logs token issuer requests too', async () => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_IDS.servicePrincipalClientId, client_secret: DEFAULT_IDS.servicePrincipalSecret, scope: 'https://monitor.azure.com/.default' }).toString();
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/token`, { method: 'POST', ca: emu.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
    const views = JSON.parse((await request(emu, '/inspector/api/requests')).text) as { service: string; status: number }[];
    expect(views).toContainEqual(expect.objectContaining({ service: 'token-issuer', status: 200 }));
  });

  it('lists identities and roles without secrets, and switches a role for a same-origin page or the secret only', async () => {
    const listed = JSON.parse((await request(emu, '/inspector/api/identities')).text) as { identities: { name: string; roles: Record<string, string[]> }[] };
    expect(JSON.stringify(listed)).not.toContain(DEFAULT_IDS.servicePrincipalSecret);
    expect(listed.identities.find((i) => i.name === 'app-identity')?.roles).toEqual({ [DEFAULT_IDS.resourceName]: ['Monitoring Metrics Publisher', 'Reader'] });
    const change = JSON.stringify({ identity: 'no-role', resource: DEFAULT_IDS.resourceName, role: 'Reader', granted: true });
    const json = { 'content-type': 'application/json' };
    expect((await request(emu, '/inspector/api/roles', { method: 'POST', headers: json, body: change })).status).toBe(403);
    expect((await request(emu, '/inspector/api/roles', { method: 'POST', headers: { ...json, origin: 'http://evil.example' }, body: change })).status).toBe(403);
    const same = await request(emu, '/inspector/api/roles', { method: 'POST', headers: { ...json, origin: `http://127.0.0.1:${emu.port}` }, body: change });
    expect(same.status).toBe(200);
    expect((JSON.parse(same.text) as typeof listed).identities.find((i) => i.name === 'no-role')?.roles).toEqual({ [DEFAULT_IDS.resourceName]: ['Reader'] });
    const off = await request(emu, '/inspector/api/roles', { method: 'POST', headers: { ...json, 'x-inspector-secret': emu.inspectorSecret }, body: change.replace('true', 'false') });
    expect(off.status).toBe(200);
    const bad = await request(emu, '/inspector/api/roles', { method: 'POST', headers: { ...json, 'x-inspector-secret': emu.inspectorSecret }, body: JSON.stringify({ identity: 'nobody', resource: DEFAULT_IDS.resourceName, role: 'Reader', granted: true }) });
    expect({ status: bad.status, body: JSON.parse(bad.text) as unknown }).toEqual({ status: 400, body: { error: { code: 'BadArgumentError', message: 'unknown identity "nobody"' } } });
  });

  it('refuses a foreign Host and never answers CORS', async () => {
    const foreign = await request(emu, '/inspector/', { headers: { host: 'rebind.example' } });
    expect(foreign.status).toBe(421);
    const preflight = await request(emu, '/inspector/api/roles', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('pages a table newest first and filters it on the server', async () => {
    emu.clearItems();
    const token = emu.issueToken({ identity: DEFAULT_IDS.servicePrincipalName });
    const items = Array.from({ length: 5 }, (_, i) => ({ name: 'Microsoft.ApplicationInsights.Message', time: new Date(Date.now() + i).toISOString(), iKey: emu.resource().instrumentationKey, data: { baseType: 'MessageData', baseData: { ver: 2, message: `m${i}` } } }));
    expect((await fetch(`${emu.ingestionUrl}/v2.1/track`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(items) })).status).toBe(200);
    const page = JSON.parse((await request(emu, '/inspector/api/items?table=traces&offset=1&limit=2')).text) as { total: number; rows: { message: string }[] };
    expect({ total: page.total, messages: page.rows.map((r) => r.message) }).toEqual({ total: 5, messages: ['m3', 'm2'] });
    const filtered = JSON.parse((await request(emu, '/inspector/api/items?table=traces&filter=M4')).text) as { total: number };
    expect(filtered.total).toBe(1);
    expect((await request(emu, '/inspector/api/items?table=nope')).status).toBe(400);
  });
});
