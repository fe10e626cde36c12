import { EmulatorError } from '../errors';
import type { EmulatorConfig, IdentityConfig, ResourceConfig, RoleName } from './emulator-config';
import { validateConfig } from './parse-config';

/** Live, mutable view of resources, identities and role assignments. */
export interface Registry {
  /** Tenant id. */
  readonly tenantId: string;
  /** All resources. */
  resources(): readonly ResourceConfig[];
  /** All identities. */
  identities(): readonly IdentityConfig[];
  /** Resource by name; throws `EMU_UNKNOWN_RESOURCE`. */
  resource(name: string): ResourceConfig;
  /** Identity by name; throws `EMU_UNKNOWN_IDENTITY`. */
  identity(name: string): IdentityConfig;
  /** Resource by instrumentation key (any case). */
  resourceByIkey(ikey: string): ResourceConfig | undefined;
  /** Resource by application id. */
  resourceByAppId(appId: string): ResourceConfig | undefined;
  /** Service principal by client id. */
  servicePrincipal(clientId: string): IdentityConfig | undefined;
  /** Managed identity by client id, or the system-assigned one when clientId is undefined. */
  managedIdentity(clientId: string | undefined): IdentityConfig | undefined;
  /** Whether the principal with this object id holds the role on the resource. */
  hasRole(objectId: string, resourceName: string, role: RoleName): boolean;
  /** Adds a resource. */
  addResource(resource: ResourceConfig): void;
  /** Adds an identity. */
  addIdentity(identity: IdentityConfig): void;
  /** Grants a role (idempotent). */
  assignRole(identity: string, resource: string, role: RoleName): void;
  /** Revokes a role (idempotent). */
  removeRole(identity: string, resource: string, role: RoleName): void;
}

/** Creates a registry from a (validated) configuration. */
export function createRegistry(config: EmulatorConfig): Registry {
  validateConfig(config);
  const resources = new Map(config.resources.map((r) => [r.name, r]));
  const identities = new Map(config.identities.map((i) => [i.name, i]));
  const grants = new Set<string>();
  const key = (objectId: string, resource: string, role: RoleName): string => `${objectId}\u0000${resource}\u0000${role}`;

  const registry: Registry = {
    tenantId: config.tenantId,
    resources: () => [...resources.values()],
    identities: () => [...identities.values()],
    resource(name) {
      const r = resources.get(name);
      if (!r) throw new EmulatorError('EMU_UNKNOWN_RESOURCE', `unknown resource "${name}"`);
      return r;
    },
    identity(name) {
      const i = identities.get(name);
      if (!i) throw new EmulatorError('EMU_UNKNOWN_IDENTITY', `unknown identity "${name}"`);
      return i;
    },
    resourceByIkey: (ikey) => [...resources.values()].find((r) => r.instrumentationKey === ikey.toLowerCase()),
    resourceByAppId: (appId) => [...resources.values()].find((r) => r.applicationId === appId.toLowerCase()),
    servicePrincipal: (clientId) =>
      [...identities.values()].find((i) => i.kind === 'servicePrincipal' && i.clientId === clientId.toLowerCase()),
    managedIdentity: (clientId) =>
      [...identities.values()].find((i) =>
        i.kind === 'managedIdentity' && (clientId === undefined ? i.systemAssigned === true : i.clientId === clientId.toLowerCase())),
    hasRole: (objectId, resourceName, role) => grants.has(key(objectId, resourceName, role)),
    addResource(resource) {
      if (resources.has(resource.name)) throw new EmulatorError('EMU_CONFIG', `resource "${resource.name}" already exists`);
      resources.set(resource.name, { ...resource, instrumentationKey: resource.instrumentationKey.toLowerCase(), applicationId: resource.applicationId.toLowerCase() });
    },
    addIdentity(identity) {
      if (identities.has(identity.name)) throw new EmulatorError('EMU_CONFIG', `identity "${identity.name}" already exists`);
      identities.set(identity.name, { ...identity, clientId: identity.clientId.toLowerCase(), objectId: identity.objectId.toLowerCase() });
    },
    assignRole(identity, resource, role) {
      registry.resource(resource);
      grants.add(key(registry.identity(identity).objectId, resource, role));
    },
    removeRole(identity, resource, role) {
      registry.resource(resource);
      grants.delete(key(registry.identity(identity).objectId, resource, role));
    },
  };
  for (const a of config.roleAssignments) registry.assignRole(a.identity, a.resource, a.role);
  return registry;
}
