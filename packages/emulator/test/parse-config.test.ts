import { parseConfig } from '../src/config/parse-config';
import { createDefaultConfig, DEFAULT_IDS } from '../src/config/emulator-config';
import { createRegistry } from '../src/config/create-registry';
import { EmulatorError } from '../src/errors';

describe('parseConfig', () => {
  it('keeps default sections that the file leaves out', () => {
    const config = parseConfig(JSON.stringify({ resources: [{ name: 'open', instrumentationKey: 'AAAAAAAA-0000-4000-8000-000000000001', disableLocalAuth: false }] }));
    expect(config.tenantId).toBe(DEFAULT_IDS.tenantId);
    expect(config.resources).toEqual([expect.objectContaining({ name: 'open', instrumentationKey: 'aaaaaaaa-0000-4000-8000-000000000001', disableLocalAuth: false })]);
    expect(config.identities).toEqual(createDefaultConfig().identities);
    // the default identities get their default roles on the file's resources
    expect(config.roleAssignments).toContainEqual({ identity: 'ci-principal', resource: 'open', role: 'Monitoring Metrics Publisher' });
    expect(config.roleAssignments.some((a) => a.identity === 'no-role')).toBe(false);
  });

  it('reads identities and role assignments', () => {
    const config = parseConfig(JSON.stringify({
      resources: [{ name: 'r', instrumentationKey: 'aaaaaaaa-0000-4000-8000-000000000001' }],
      identities: [{ name: 'sp', kind: 'servicePrincipal', clientSecret: 's3cret' }, { name: 'mi', kind: 'managedIdentity', systemAssigned: true }],
      roleAssignments: [{ identity: 'sp', resource: 'r', role: 'Reader' }],
    }));
    const registry = createRegistry(config);
    expect(registry.resource('r').disableLocalAuth).toBe(true);
    expect(registry.hasRole(registry.identity('sp').objectId, 'r', 'Reader')).toBe(true);
    expect(registry.hasRole(registry.identity('sp').objectId, 'r', 'Monitoring Metrics Publisher')).toBe(false);
    expect(registry.managedIdentity(undefined)?.name).toBe('mi');
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[]', 'must be an object'],
    [JSON.stringify({ resources: [{ name: 'r', instrumentationKey: 'nope' }] }), 'resources[0]: "instrumentationKey" must be a GUID'],
    [JSON.stringify({ identities: [{ name: 'x', kind: 'robot' }] }), 'identities[0]: "kind"'],
    [JSON.stringify({ identities: [{ name: 'x', kind: 'servicePrincipal' }] }), '"clientSecret"'],
    [JSON.stringify({ roleAssignments: [{ identity: 'ghost', resource: 'entra-only', role: 'Reader' }] }), 'unknown identity "ghost"'],
    [JSON.stringify({ roleAssignments: [{ identity: 'no-role', resource: 'entra-only', role: 'Owner' }] }), '"role" must be one of'],
  ])('rejects %s with a message naming the field', (json, message) => {
    expect(() => parseConfig(json)).toThrow(EmulatorError);
    expect(() => parseConfig(json)).toThrow(message);
  });
});
