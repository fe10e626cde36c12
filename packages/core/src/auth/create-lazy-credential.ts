import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { CredentialKind } from './describe-credential';

/** A `TokenCredential` that builds its real credential on the first `getToken()` call. */
export interface LazyCredential extends TokenCredential {
  /** What kind of credential the factory builds (for error hints). */
  readonly credentialKind: CredentialKind;
}

/**
 * Wraps a credential factory so that the credential is created on the first `getToken()` call,
 * exactly once, and reused afterwards. If the factory throws, the error surfaces from that
 * `getToken()` call and the next call tries again.
 *
 * @param factory - Builds the real credential.
 * @param credentialKind - What the factory builds (used to word error messages).
 */
export function createLazyCredential(factory: () => TokenCredential, credentialKind: CredentialKind): LazyCredential {
  let inner: TokenCredential | undefined;
  return Object.freeze({
    credentialKind,
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      inner ??= factory();
      return inner.getToken(scopes, options);
    },
  });
}
