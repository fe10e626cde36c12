import { randomBytes, randomUUID } from 'node:crypto';
import { INGESTION_AUDIENCES } from '../auth/audiences';
import type { Registry } from '../config/create-registry';
import type { IdentityConfig, ResourceConfig } from '../config/emulator-config';
import { EmulatorError } from '../errors';
import type { ClientAssertionTrust } from '../issuer/client-assertion-trust';
import type { TokenService } from '../issuer/create-token-service';
import type { EmulatorHandle } from '../start-emulator';
import { firstResource, resourceOrFirst } from './first-resource';
import type { ManagedIdentityHeaders } from './managed-identity-headers';

/** What the handle's resource and identity methods work on. */
export interface IdentityApiParts {
  readonly registry: Registry;
  readonly tokens: TokenService;
  readonly assertions: ClientAssertionTrust;
  readonly miHeaders: ManagedIdentityHeaders;
  readonly ingestionUrl: string;
  readonly authorityHost: string;
}

type ResourceApi = Pick<EmulatorHandle, 'connectionString' | 'resource' | 'addResource' | 'assignRole' | 'removeRole'>;
type IdentityApi = Pick<EmulatorHandle, 'identity' | 'managedIdentityEnv' | 'servicePrincipal' | 'issueToken' | 'addIdentity' | 'trustCertificate' | 'trustFederatedIssuer'>;

/** The handle's resource methods: connection strings, adding resources, role assignments. */
export function createResourceApi({ registry, ingestionUrl }: IdentityApiParts): ResourceApi {
  return {
    connectionString(resourceName) {
      const r = resourceOrFirst(registry, resourceName);
      return `InstrumentationKey=${r.instrumentationKey};IngestionEndpoint=${ingestionUrl}/;ApplicationId=${r.applicationId}`;
    },
    resource: (name) => resourceOrFirst(registry, name),
    addResource(resource) {
      const full: ResourceConfig = {
        name: resource.name,
        instrumentationKey: resource.instrumentationKey ?? randomUUID(),
        applicationId: resource.applicationId ?? randomUUID(),
        disableLocalAuth: resource.disableLocalAuth ?? true,
      };
      registry.addResource(full);
      return registry.resource(full.name);
    },
    assignRole: (identity, resource, role) => registry.assignRole(identity, resource ?? firstResource(registry).name, role),
    removeRole: (identity, resource, role) => registry.removeRole(identity, resource ?? firstResource(registry).name, role),
  };
}

/** An identity with ids (random GUIDs) and, for a service principal, a secret filled in. */
function completeIdentity(identity: Parameters<EmulatorHandle['addIdentity']>[0]): IdentityConfig {
  return {
    name: identity.name,
    kind: identity.kind,
    clientId: identity.clientId ?? randomUUID(),
    objectId: identity.objectId ?? randomUUID(),
    ...(identity.kind === 'servicePrincipal' ? { clientSecret: identity.clientSecret ?? randomBytes(18).toString('base64url') } : {}),
    ...(identity.systemAssigned !== undefined ? { systemAssigned: identity.systemAssigned } : {}),
  };
}

/** The handle's identity methods: what an app needs to authenticate as one, tokens, adding identities and credentials. */
export function createIdentityApi({ registry, tokens, assertions, miHeaders, ingestionUrl, authorityHost }: IdentityApiParts): IdentityApi {
  return {
    identity: (name) => registry.identity(name),
    managedIdentityEnv(identityName) {
      const i = identityName === undefined ? registry.managedIdentity(undefined) ?? registry.identities().find((x) => x.kind === 'managedIdentity') : registry.identity(identityName);
      if (!i || i.kind !== 'managedIdentity') throw new EmulatorError('EMU_UNKNOWN_IDENTITY', `"${identityName ?? '(default)'}" is not a managed identity`);
      return { IDENTITY_ENDPOINT: `${ingestionUrl}/msi/token`, IDENTITY_HEADER: miHeaders.headerFor(i.name) };
    },
    servicePrincipal(identityName) {
      const first = firstResource(registry);
      const i = identityName === undefined
        ? registry.identities().find((x) => x.kind === 'servicePrincipal' && registry.hasRole(x.objectId, first.name, 'Monitoring Metrics Publisher'))
        : registry.identity(identityName);
      if (!i || i.kind !== 'servicePrincipal' || i.clientSecret === undefined) throw new EmulatorError('EMU_UNKNOWN_IDENTITY', `"${identityName ?? '(default)'}" is not a service principal`);
      return { tenantId: registry.tenantId, clientId: i.clientId, clientSecret: i.clientSecret, authorityHost };
    },
    issueToken(request) {
      const raw = request.audience ?? INGESTION_AUDIENCES[0] as string;
      const audience = raw.endsWith('/.default') ? raw.slice(0, -'/.default'.length) : raw;
      return tokens.issue(registry.identity(request.identity), audience, {
        ...(request.lifetimeSeconds !== undefined ? { lifetimeSeconds: request.lifetimeSeconds } : {}),
        ...(request.expired !== undefined ? { expired: request.expired } : {}),
      }).accessToken;
    },
    addIdentity(identity) {
      const full = completeIdentity(identity);
      registry.addIdentity(full);
      if (full.kind === 'managedIdentity') miHeaders.headerFor(full.name);
      return registry.identity(full.name);
    },
    trustCertificate: (identityName, certificatePem) => assertions.addCertificate(registry.identity(identityName).clientId, certificatePem),
    trustFederatedIssuer: (identityName, credential) => assertions.addFederatedCredential(registry.identity(identityName).clientId, credential),
  };
}
