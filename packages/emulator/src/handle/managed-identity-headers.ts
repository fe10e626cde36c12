import { randomBytes } from 'node:crypto';
import type { Registry } from '../config/create-registry';

/** The `IDENTITY_HEADER` secret of each managed identity (random per start), as App Service hands one to an app. */
export interface ManagedIdentityHeaders {
  /** The header of an identity (made on first use). */
  headerFor(identityName: string): string;
  /** The identity whose header this is. */
  identityForHeader(header: string): string | undefined;
}

/** Creates the headers, one made now for each managed identity of the registry. */
export function createManagedIdentityHeaders(registry: Registry): ManagedIdentityHeaders {
  const headers = new Map<string, string>();
  const headerFor = (name: string): string => {
    let h = headers.get(name);
    if (!h) headers.set(name, (h = randomBytes(16).toString('hex')));
    return h;
  };
  for (const i of registry.identities()) if (i.kind === 'managedIdentity') headerFor(i.name);
  return { headerFor, identityForHeader: (h) => [...headers].find(([, v]) => v === h)?.[0] };
}
