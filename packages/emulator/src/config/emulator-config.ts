/** Role names the emulator understands. */
export type RoleName = 'Monitoring Metrics Publisher' | 'Reader';

/** An Application Insights resource (component). */
export interface ResourceConfig {
  /** Resource name, used to look it up (`connectionString(name)`). */
  readonly name: string;
  /** Instrumentation key (GUID, lower case). */
  readonly instrumentationKey: string;
  /** Application id used by the query API. */
  readonly applicationId: string;
  /** When true only Microsoft Entra ID authenticated telemetry is accepted (v2.1/track with a Bearer token). */
  readonly disableLocalAuth: boolean;
}

/** How an identity obtains tokens. */
export type IdentityKind = 'managedIdentity' | 'servicePrincipal';

/** A Microsoft Entra identity known to the emulator. */
export interface IdentityConfig {
  /** Name used by the programmatic API and the config file. */
  readonly name: string;
  /** Kind of identity. */
  readonly kind: IdentityKind;
  /** Application (client) id. For managed identities, the user-assigned client id. */
  readonly clientId: string;
  /** Object id (the token's `oid`, the principal role assignments refer to). */
  readonly objectId: string;
  /** Client secret of a service principal. */
  readonly clientSecret?: string;
  /** For managed identities: answers requests that carry no client_id (system-assigned). */
  readonly systemAssigned?: boolean;
}

/** A role assignment of an identity on a resource. */
export interface RoleAssignment {
  /** Identity name. */
  readonly identity: string;
  /** Resource name. */
  readonly resource: string;
  /** Role granted. */
  readonly role: RoleName;
}

/** The emulator's whole configuration: one tenant, its resources, identities and role assignments. */
export interface EmulatorConfig {
  /** Tenant id (GUID). */
  readonly tenantId: string;
  /** Resources. */
  readonly resources: readonly ResourceConfig[];
  /** Identities. */
  readonly identities: readonly IdentityConfig[];
  /** Role assignments. */
  readonly roleAssignments: readonly RoleAssignment[];
}

/** Fixed ids of the default configuration, so tests and docs can name them. */
export const DEFAULT_IDS = {
  tenantId: '72f988bf-0000-4000-8000-00000000e0e0',
  resourceName: 'entra-only',
  instrumentationKey: '11111111-2222-4333-8444-555555555555',
  applicationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  managedIdentityName: 'app-identity',
  managedIdentityClientId: '0c0c0c0c-0000-4000-8000-000000000001',
  managedIdentityObjectId: '0d0d0d0d-0000-4000-8000-000000000001',
  servicePrincipalName: 'ci-principal',
  servicePrincipalClientId: '5e5e5e5e-0000-4000-8000-000000000002',
  servicePrincipalObjectId: '6f6f6f6f-0000-4000-8000-000000000002',
  servicePrincipalSecret: 'emulator-secret-ci-principal',
  noRoleName: 'no-role',
  noRoleClientId: '7a7a7a7a-0000-4000-8000-000000000003',
  noRoleObjectId: '8b8b8b8b-0000-4000-8000-000000000003',
  noRoleSecret: 'emulator-secret-no-role',
  noRoleManagedIdentityName: 'no-role-identity',
  noRoleManagedIdentityClientId: '9c9c9c9c-0000-4000-8000-000000000004',
  noRoleManagedIdentityObjectId: 'adadadad-0000-4000-8000-000000000004',
} as const;

/**
 * The default configuration: one tenant, one Entra-only resource, a system-assigned managed identity
 * and a service principal with Monitoring Metrics Publisher + Reader, and identities `no-role`
 * (service principal) and `no-role-identity` (user-assigned managed identity) without any role.
 */
export function createDefaultConfig(): EmulatorConfig {
  const d = DEFAULT_IDS;
  return {
    tenantId: d.tenantId,
    resources: [{ name: d.resourceName, instrumentationKey: d.instrumentationKey, applicationId: d.applicationId, disableLocalAuth: true }],
    identities: [
      { name: d.managedIdentityName, kind: 'managedIdentity', clientId: d.managedIdentityClientId, objectId: d.managedIdentityObjectId, systemAssigned: true },
      { name: d.servicePrincipalName, kind: 'servicePrincipal', clientId: d.servicePrincipalClientId, objectId: d.servicePrincipalObjectId, clientSecret: d.servicePrincipalSecret },
      { name: d.noRoleName, kind: 'servicePrincipal', clientId: d.noRoleClientId, objectId: d.noRoleObjectId, clientSecret: d.noRoleSecret },
      { name: d.noRoleManagedIdentityName, kind: 'managedIdentity', clientId: d.noRoleManagedIdentityClientId, objectId: d.noRoleManagedIdentityObjectId },
    ],
    roleAssignments: [
      { identity: d.managedIdentityName, resource: d.resourceName, role: 'Monitoring Metrics Publisher' },
      { identity: d.managedIdentityName, resource: d.resourceName, role: 'Reader' },
      { identity: d.servicePrincipalName, resource: d.resourceName, role: 'Monitoring Metrics Publisher' },
      { identity: d.servicePrincipalName, resource: d.resourceName, role: 'Reader' },
    ],
  };
}
