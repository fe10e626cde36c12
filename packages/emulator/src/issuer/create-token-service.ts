import { randomUUID } from 'node:crypto';
import type { IdentityConfig } from '../config/emulator-config';
import type { Registry } from '../config/create-registry';
import type { TokenSigner } from '../auth/create-token-signer';
import { issuerFor } from '../auth/audiences';

/** An issued access token. */
interface IssuedToken {
  readonly accessToken: string;
  /** Expiry, seconds since epoch. */
  readonly expiresOn: number;
  /** Lifetime in seconds from issue. */
  readonly expiresIn: number;
  readonly notBefore: number;
}

/** Options of one issue. */
interface IssueOptions {
  /** Lifetime in seconds (default: the emulator's token lifetime). */
  readonly lifetimeSeconds?: number;
  /** Issue a token that is already expired (for tests). */
  readonly expired?: boolean;
}

/** Mints tokens for identities of the registry. */
export interface TokenService {
  /** Issues a token for an identity and an audience. */
  issue(identity: IdentityConfig, audience: string, options?: IssueOptions): IssuedToken;
}

/** Creates the token service. `now` returns milliseconds since epoch (injectable for tests). */
export function createTokenService(registry: Registry, signer: TokenSigner, defaultLifetimeSeconds: number, now: () => number = Date.now): TokenService {
  return {
    issue(identity, audience, options = {}) {
      const nowSeconds = Math.floor(now() / 1000);
      const lifetime = options.lifetimeSeconds ?? defaultLifetimeSeconds;
      const iat = options.expired ? nowSeconds - lifetime - 600 : nowSeconds;
      const exp = options.expired ? nowSeconds - 600 : nowSeconds + lifetime;
      const accessToken = signer.sign({
        aud: audience,
        iss: issuerFor(registry.tenantId),
        tid: registry.tenantId,
        oid: identity.objectId,
        appid: identity.clientId,
        sub: identity.objectId,
        iat,
        nbf: iat,
        exp,
        ver: '1.0',
        idtyp: 'app',
        uti: randomUUID().replace(/-/g, ''),
      });
      return { accessToken, expiresOn: exp, expiresIn: exp - nowSeconds, notBefore: iat };
    },
  };
}
