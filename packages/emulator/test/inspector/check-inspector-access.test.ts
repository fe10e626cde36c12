import { checkAdminAccess, checkInspectorAccess, ownHosts, type InspectorRequestFacts } from '../../src/inspector/check-inspector-access';

const POLICY = { hosts: ownHosts(4000, '127.0.0.1'), secret: 's3cret', allowRemote: false };
const base: InspectorRequestFacts = { method: 'GET', host: '127.0.0.1:4000', origin: undefined, secret: undefined, remoteLoopback: true };

describe('checkInspectorAccess', () => {
  it.each<[string, Partial<InspectorRequestFacts>, number | undefined]>([
    ['a page load on 127.0.0.1', {}, undefined],
    ['a page load on localhost', { host: 'localhost:4000' }, undefined],
    ['a page load on [::1]', { host: '[::1]:4000' }, undefined],
    ['a rebound DNS name', { host: 'attacker.example:4000' }, 421],
    ['another port', { host: '127.0.0.1:4001' }, 421],
    ['no Host', { host: undefined }, 421],
    ['a non-loopback client', { remoteLoopback: false }, 403],
    ['a change from the page itself', { method: 'POST', origin: 'http://127.0.0.1:4000' }, undefined],
    ['a change from another site', { method: 'POST', origin: 'http://attacker.example' }, 403],
    ['a change from another local port', { method: 'POST', origin: 'http://127.0.0.1:3000' }, 403],
    ['a change without Origin or secret', { method: 'POST' }, 403],
    ['a scripted change with the secret', { method: 'POST', secret: 's3cret' }, undefined],
    ['a scripted change with a wrong secret', { method: 'POST', secret: 's3cre7' }, 403],
    ['a DELETE from another site', { method: 'DELETE', origin: 'null' }, 403],
  ])('%s', (_what, facts, status) => {
    expect(checkInspectorAccess({ ...base, ...facts }, POLICY)?.status).toBe(status);
  });

  it('lets remote clients in only when allowed, still checking Host', () => {
    expect(checkInspectorAccess({ ...base, remoteLoopback: false }, { ...POLICY, allowRemote: true })).toBeUndefined();
    expect(checkInspectorAccess({ ...base, remoteLoopback: false, host: 'evil:4000' }, { ...POLICY, allowRemote: true })?.status).toBe(421);
  });

  it('adds a specific bound host, not a wildcard', () => {
    expect(ownHosts(5, '10.0.0.2')).toContain('10.0.0.2:5');
    expect(ownHosts(5, '0.0.0.0')).toEqual(['127.0.0.1:5', 'localhost:5', '[::1]:5']);
  });
});

describe('checkAdminAccess', () => {
  it.each<[string, { method: string; host?: string; origin?: string }, number | undefined]>([
    ['a script (no Origin)', { method: 'POST', host: 'localhost:4000' }, undefined],
    ['a read', { method: 'GET', host: '127.0.0.1:4000', origin: 'http://attacker.example' }, undefined],
    ['a rebound DNS name', { method: 'POST', host: 'rebind.example:4000' }, 421],
    ['a cross-site change (text/plain CSRF)', { method: 'POST', host: '127.0.0.1:4000', origin: 'http://attacker.example' }, 403],
    ['a change from the inspector page', { method: 'PUT', host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }, undefined],
  ])('%s', (_what, facts, status) => {
    expect(checkAdminAccess({ method: facts.method, host: facts.host, origin: facts.origin }, POLICY.hosts)?.status).toBe(status);
  });
});
