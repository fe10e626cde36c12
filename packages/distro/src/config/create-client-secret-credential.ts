import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';

/** Authority hosts where Microsoft Entra instance discovery works (public and sovereign clouds). */
const KNOWN_AUTHORITY_HOSTS = new Set(['login.microsoftonline.com', 'login.chinacloudapi.cn', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn']);

/**
 * A `ClientSecretCredential` for a service principal. With an `authorityHost` that is not one of
 * Microsoft's (a private or local issuer), instance discovery is turned off: it would otherwise
 * call login.microsoftonline.com to validate the authority.
 */
export function createClientSecretCredential(tenantId: string, clientId: string, clientSecret: string, authorityHost?: string): TokenCredential {
  if (authorityHost === undefined || authorityHost.trim() === '') return new ClientSecretCredential(tenantId, clientId, clientSecret);
  return new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost, ...instanceDiscoveryOptions(authorityHost) });
}

/** Instance discovery off for an authority host that is not Microsoft's (it would call login.microsoftonline.com). */
export function instanceDiscoveryOptions(authorityHost: string): { disableInstanceDiscovery: boolean } {
  return { disableInstanceDiscovery: !isKnownAuthority(authorityHost) };
}

function isKnownAuthority(authorityHost: string): boolean {
  try {
    return KNOWN_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    return false;
  }
}
