import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { ConfigError } from '../errors';

/** Which managed identity an authentication string selects. */
export type ManagedIdentityDescriptor =
  | { readonly kind: 'system-assigned' }
  | { readonly kind: 'user-assigned'; readonly clientId: string };

/** A parsed `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`. */
export interface AuthenticationString {
  /** The identity the string selects. */
  readonly managedIdentity: ManagedIdentityDescriptor;
  /**
   * The `ManagedIdentityCredential` for that identity, created on the first call (never at parse
   * time) and returned again on every later call.
   */
  getCredential(): TokenCredential;
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCEPTED = 'accepted: "Authorization=AAD" (system-assigned managed identity) or '
  + '"Authorization=AAD;ClientId=<client id GUID>" (user-assigned managed identity)';

/**
 * Parses `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (DESIGN.md section 3). Keys are
 * case-insensitive and trimmed, empty segments are fine. `Authorization=AAD` selects the
 * system-assigned managed identity; `Authorization=AAD;ClientId=<guid>` a user-assigned one.
 *
 * @param raw - The authentication string.
 * @returns The identity descriptor and a lazy, memoised credential factory.
 * @throws ConfigError for anything else, saying what is accepted; values are never echoed.
 */
export function parseAuthenticationString(raw: string): AuthenticationString {
  const managedIdentity = parseDescriptor(raw);
  let credential: TokenCredential | undefined;
  return Object.freeze({
    managedIdentity,
    getCredential(): TokenCredential {
      credential ??= managedIdentity.kind === 'user-assigned'
        ? new ManagedIdentityCredential({ clientId: managedIdentity.clientId })
        : new ManagedIdentityCredential();
      return credential;
    },
  });
}

function fail(problem: string): never {
  throw new ConfigError(`APPLICATIONINSIGHTS_AUTHENTICATION_STRING ${problem}; ${ACCEPTED}`);
}

function parseDescriptor(raw: string): ManagedIdentityDescriptor {
  if (typeof raw !== 'string' || raw.trim() === '') fail('is empty');
  let authorization: string | undefined;
  let clientId: string | undefined;
  const segments = raw.split(';');
  for (let index = 0; index < segments.length; index++) {
    const text = segments[index] ?? '';
    const segment = index + 1;
    if (text.trim() === '') continue;
    const eq = text.indexOf('=');
    if (eq < 0) fail(`segment ${segment} is not key=value`);
    const key = text.slice(0, eq).trim().toLowerCase();
    const value = text.slice(eq + 1).trim();
    if (key === 'authorization') {
      if (authorization !== undefined) fail(`segment ${segment} repeats Authorization`);
      authorization = value;
    } else if (key === 'clientid') {
      if (clientId !== undefined) fail(`segment ${segment} repeats ClientId`);
      clientId = value;
    } else {
      fail(`segment ${segment} has an unsupported key`);
    }
  }
  if (authorization === undefined) fail('has no Authorization');
  if (authorization.toUpperCase() !== 'AAD') fail('has an unsupported Authorization value (only AAD is supported)');
  if (clientId === undefined) return Object.freeze({ kind: 'system-assigned' });
  if (!GUID_PATTERN.test(clientId)) fail('has a ClientId that is not a GUID');
  return Object.freeze({ kind: 'user-assigned', clientId: clientId.toLowerCase() });
}
