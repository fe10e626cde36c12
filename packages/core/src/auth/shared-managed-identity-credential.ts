import type { TokenCredential } from '@azure/core-auth';
import type { AuthenticationString } from './parse-authentication-string';
import { createLazyCredential } from './create-lazy-credential';

const credentials = new Map<string, TokenCredential>();

/**
 * The process-wide credential for the managed identity an authentication string selects: one lazy
 * credential object per identity, so every exporter configured by the same
 * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` shares one token provider (and one token request per
 * token lifetime). The `ManagedIdentityCredential` itself is created on the first token request.
 *
 * @param auth - A parsed authentication string.
 */
export function sharedManagedIdentityCredential(auth: AuthenticationString): TokenCredential {
  const id = auth.managedIdentity;
  const key = id.kind === 'user-assigned' ? `user-assigned:${id.clientId}` : 'system-assigned';
  let credential = credentials.get(key);
  if (credential === undefined) {
    credential = createLazyCredential(() => auth.getCredential(), 'managed-identity');
    credentials.set(key, credential);
  }
  return credential;
}
