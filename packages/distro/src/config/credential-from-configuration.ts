import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { createLazyCredential } from '@appinsights-otel/core';
import { createClientSecretCredential } from './create-client-secret-credential';
import type { AuthenticationBlock } from './read-configuration-file';

/**
 * Builds the credential a configuration file's `authentication` block asks for, lazily (nothing is
 * constructed and nothing touches the network until the first token request):
 * `SAMI` -> system-assigned `ManagedIdentityCredential`; `UAMI` -> user-assigned with `clientId`;
 * `CLIENTSECRET` -> `ClientSecretCredential(tenantId, clientId, clientSecret)`, honouring
 * `AZURE_AUTHORITY_HOST`.
 *
 * @param block - A validated, enabled authentication block.
 * @param authorityHost - The `AZURE_AUTHORITY_HOST` setting, if set.
 */
export function credentialFromConfiguration(block: AuthenticationBlock, authorityHost: string | undefined): TokenCredential {
  switch (block.type) {
    case 'SAMI':
      return createLazyCredential(() => new ManagedIdentityCredential(), 'managed-identity');
    case 'UAMI': {
      const clientId = block.clientId ?? '';
      return createLazyCredential(() => new ManagedIdentityCredential({ clientId }), 'managed-identity');
    }
    case 'CLIENTSECRET': {
      const { tenantId = '', clientId = '', clientSecret = '' } = block;
      return createLazyCredential(() => createClientSecretCredential(tenantId, clientId, clientSecret, authorityHost), 'service-principal');
    }
  }
}
