import type { TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ManagedIdentityCredential, WorkloadIdentityCredential } from '@azure/identity';
import { ConfigError, createLazyCredential } from '@appinsights-otel/core';
import { createClientSecretCredential, instanceDiscoveryOptions } from './create-client-secret-credential';
import type { AuthenticationBlock } from './read-configuration-file';

/** The standard Azure identity variables a configuration file's credential may take values from. */
export const IDENTITY_VARIABLES = [
  'AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
] as const;

/** The {@link IDENTITY_VARIABLES} that are set. */
export type IdentityVariables = Readonly<Partial<Record<(typeof IDENTITY_VARIABLES)[number], string>>>;

/** A credential built from the configuration file, and what it is and where each part came from (for the doctor and the start-up line). */
export interface ConfiguredCredential {
  readonly credential: TokenCredential;
  /** e.g. `workload identity (client id ..., tenant ..., token file from AZURE_FEDERATED_TOKEN_FILE) from the configuration file`. Never a secret. */
  readonly description: string;
}

/**
 * Builds the credential a configuration file's `authentication` block asks for, lazily (nothing is
 * constructed, no file is read and nothing touches the network until the first token request):
 * `SAMI` -> system-assigned `ManagedIdentityCredential`; `UAMI` -> user-assigned with `clientId`;
 * `CLIENTSECRET` -> `ClientSecretCredential`; `WORKLOADIDENTITY` -> `WorkloadIdentityCredential`
 * (client id, tenant id and token file from the block, else `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`,
 * `AZURE_FEDERATED_TOKEN_FILE`, as AKS sets them); `CLIENTCERTIFICATE` -> `ClientCertificateCredential`
 * (certificate from `certificatePath`, else `AZURE_CLIENT_CERTIFICATE_PATH`; password, if any, from
 * `AZURE_CLIENT_CERTIFICATE_PASSWORD`, never from the file). Service principal types honour
 * `AZURE_AUTHORITY_HOST` (instance discovery off for a host that is not Microsoft's).
 *
 * @param block - A validated, enabled authentication block.
 * @param authorityHost - The `AZURE_AUTHORITY_HOST` setting, if set.
 * @param variables - The identity variables that are set.
 * @throws ConfigError when a value the type needs is in neither the block nor the environment (naming both).
 */
export function credentialFromConfiguration(block: AuthenticationBlock, authorityHost: string | undefined, variables: IdentityVariables = {}): ConfiguredCredential {
  const via = authorityHost !== undefined ? ` via ${authorityHost}` : '';
  switch (block.type) {
    case 'SAMI':
      return { credential: createLazyCredential(() => new ManagedIdentityCredential(), 'managed-identity'), description: 'managed identity (system-assigned)' };
    case 'UAMI': {
      const clientId = block.clientId ?? '';
      return { credential: createLazyCredential(() => new ManagedIdentityCredential({ clientId }), 'managed-identity'), description: `managed identity (user-assigned, client id ${clientId})` };
    }
    case 'CLIENTSECRET': {
      const { tenantId = '', clientId = '', clientSecret = '' } = block;
      return {
        credential: createLazyCredential(() => createClientSecretCredential(tenantId, clientId, clientSecret, authorityHost), 'service-principal'),
        description: `service principal ${clientId} in tenant ${tenantId} with a client secret${via}`,
      };
    }
    case 'WORKLOADIDENTITY': {
      const clientId = pick(block.clientId, variables.AZURE_CLIENT_ID, 'clientId', 'AZURE_CLIENT_ID', block.type);
      const tenantId = pick(block.tenantId, variables.AZURE_TENANT_ID, 'tenantId', 'AZURE_TENANT_ID', block.type);
      const tokenFile = pick(block.tokenFilePath, variables.AZURE_FEDERATED_TOKEN_FILE, 'tokenFilePath', 'AZURE_FEDERATED_TOKEN_FILE', block.type);
      return {
        credential: createLazyCredential(() => new WorkloadIdentityCredential({
          clientId: clientId.value, tenantId: tenantId.value, tokenFilePath: tokenFile.value, ...authorityOptions(authorityHost),
        }), 'service-principal'),
        description: `workload identity (client id ${clientId.value} from ${clientId.from}, tenant ${tenantId.value} from ${tenantId.from}, `
          + `federated token file ${tokenFile.value} from ${tokenFile.from})${via}`,
      };
    }
    case 'CLIENTCERTIFICATE': {
      const clientId = pick(block.clientId, variables.AZURE_CLIENT_ID, 'clientId', 'AZURE_CLIENT_ID', block.type);
      const tenantId = pick(block.tenantId, variables.AZURE_TENANT_ID, 'tenantId', 'AZURE_TENANT_ID', block.type);
      const certificate = pick(block.certificatePath, variables.AZURE_CLIENT_CERTIFICATE_PATH, 'certificatePath', 'AZURE_CLIENT_CERTIFICATE_PATH', block.type);
      const password = variables.AZURE_CLIENT_CERTIFICATE_PASSWORD;
      return {
        credential: createLazyCredential(() => new ClientCertificateCredential(
          tenantId.value, clientId.value,
          { certificatePath: certificate.value, ...(password !== undefined ? { certificatePassword: password } : {}) },
          authorityOptions(authorityHost),
        ), 'service-principal'),
        description: `service principal ${clientId.value} (from ${clientId.from}) in tenant ${tenantId.value} (from ${tenantId.from}) with the certificate `
          + `${certificate.value} (from ${certificate.from})${password !== undefined ? ', password from AZURE_CLIENT_CERTIFICATE_PASSWORD' : ''}${via}`,
      };
    }
  }
}

/** The block's value, else the variable's, with where it came from; neither is a {@link ConfigError} naming both. */
function pick(fromBlock: string | undefined, fromEnv: string | undefined, key: string, variable: string, type: string): { value: string; from: string } {
  if (fromBlock !== undefined) return { value: fromBlock, from: `the configuration file's "authentication".${key}` };
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { value: fromEnv.trim(), from: variable };
  throw new ConfigError(`"authentication" of type ${type} needs ${key}: set "authentication".${key} in the configuration file or the ${variable} environment variable`);
}

function authorityOptions(authorityHost: string | undefined): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  return authorityHost === undefined || authorityHost.trim() === '' ? {} : { authorityHost, ...instanceDiscoveryOptions(authorityHost) };
}
