import { cloudOfEndpoint, type AzureCloud } from '../config/derive-scope';
import { isLoopbackHost } from '../config/is-loopback-host';

/** Most redirect hops followed for one send (DESIGN.md section 5). */
export const MAX_REDIRECT_HOPS = 10;

/** Azure Monitor ingestion domains per cloud: a host equal to one, or a subdomain of one, is allowed. */
const INGESTION_DOMAINS_BY_CLOUD = {
  public: ['applicationinsights.azure.com', 'dc.services.visualstudio.com'],
  china: ['applicationinsights.azure.cn', 'applicationinsights.chinacloudapi.cn'],
  usgov: ['applicationinsights.azure.us', 'applicationinsights.us', 'applicationinsights.usgovcloudapi.net'],
} as const satisfies Record<AzureCloud, readonly string[]>;

function matchesDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Whether a redirect may take a send (and its bearer token) to `target`: only the configured
 * host (any port) or an Azure Monitor ingestion domain of the configured host's cloud, over https
 * (plain http only to a loopback host: a redirect never downgrades a send to clear text, even on
 * the configured host). A different loopback name or address (e.g. `localhost` vs `127.0.0.1`)
 * counts as a different host.
 */
export function isAllowedRedirectTarget(configured: URL, target: URL): boolean {
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return false;
  if (target.protocol === 'http:' && !isLoopbackHost(target.hostname)) return false;
  const host = target.hostname.toLowerCase();
  if (host === configured.hostname.toLowerCase()) return true;
  if (target.protocol !== 'https:') return false;
  return INGESTION_DOMAINS_BY_CLOUD[cloudOfEndpoint(configured.href)].some((d) => matchesDomain(host, d));
}

/** `Location` resolved against the current URL (path and query kept), or `undefined` if unusable. */
export function resolveRedirectLocation(current: URL, location: string | undefined): URL | undefined {
  if (location === undefined || location === '') return undefined;
  try {
    return new URL(location, current);
  } catch {
    return undefined;
  }
}
