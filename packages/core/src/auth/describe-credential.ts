import type { TokenCredential } from '@azure/core-auth';

/** The broad kind of a credential, used to tell the user what to check when it fails. */
export type CredentialKind = 'managed-identity' | 'service-principal' | 'developer' | 'other';

const SERVICE_PRINCIPAL_NAMES = /^(ClientSecret|ClientCertificate|ClientAssertion|WorkloadIdentity|Environment)Credential$/;
const DEVELOPER_NAMES = /^(AzureCli|AzureDeveloperCli|AzurePowerShell|VisualStudioCode|InteractiveBrowser|DeviceCode|UsernamePassword)Credential$/;

/**
 * Classifies a credential by its declared `credentialKind` (our own wrappers) or its class name
 * (the `@azure/identity` credentials).
 *
 * @param credential - Any `TokenCredential`.
 */
export function describeCredential(credential: TokenCredential): CredentialKind {
  const declared = (credential as { credentialKind?: unknown }).credentialKind;
  if (declared === 'managed-identity' || declared === 'service-principal' || declared === 'developer') return declared;
  const name = typeof credential.constructor === 'function' ? credential.constructor.name : '';
  if (name === 'ManagedIdentityCredential') return 'managed-identity';
  if (SERVICE_PRINCIPAL_NAMES.test(name)) return 'service-principal';
  if (DEVELOPER_NAMES.test(name)) return 'developer';
  return 'other';
}
