import type { TokenCredential } from '@azure/core-auth';
import { createTokenProvider } from './create-token-provider';
import type { TokenProvider } from './token-provider-types';

const providers = new WeakMap<TokenCredential, Map<string, TokenProvider>>();

/**
 * The process-wide token provider for a (credential object, scope) pair, created with default
 * options on first use. Every exporter built with the same credential object and scope gets the same
 * provider, so the process makes one token request per token lifetime, not one per signal. Keyed
 * weakly by the credential: a credential that is no longer referenced releases its providers.
 *
 * @param credential - The credential object (identity, not equality, selects the provider).
 * @param scope - The token scope.
 */
export function getSharedTokenProvider(credential: TokenCredential, scope: string): TokenProvider {
  let byScope = providers.get(credential);
  if (byScope === undefined) {
    byScope = new Map();
    providers.set(credential, byScope);
  }
  let provider = byScope.get(scope);
  if (provider === undefined) {
    provider = createTokenProvider(credential, scope);
    byScope.set(scope, provider);
  }
  return provider;
}
