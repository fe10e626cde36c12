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
 * @param env - Environment for `AZURE_AUTHORITY_HOST` (default `process.env`).
 */
export function credentialFromConfiguration(block: AuthenticationBlock, env: NodeJS.ProcessEnv = process.env): TokenCredential {
  switch (block.type) {
    case 'SAMI':
      return createLazyCredential(() => new ManagedIdentityCredential(), 'managed-identity');
    case 'UAMI': {
      const clientId = block.clientId ?? '';
      return createLazyCredential(() => new ManagedIdentityCredential({ clientId }), 'managed-identity');
    }
    case 'CLIENTSECRET': {
      const { tenantId = '', clientId = '', clientSecret = '' } = block;
      const authorityHost = env['AZURE_AUTHORITY_HOST']?.trim() || undefined;
      return createLazyCredential(() => createClientSecretCredential(tenantId, clientId, clientSecret, authorityHost), 'service-principal');
    }
  }
}
