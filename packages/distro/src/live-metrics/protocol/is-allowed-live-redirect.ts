import { cloudOfEndpoint, isLoopbackHost, type AzureCloud } from '@appinsights-otel/core';

/** Live Metrics service domains per cloud: a host equal to one, or a subdomain of one, is allowed. */
const LIVE_DOMAINS_BY_CLOUD = {
  public: ['livediagnostics.monitor.azure.com', 'rt.services.visualstudio.com'],
  china: ['livediagnostics.monitor.azure.cn', 'live.applicationinsights.azure.cn'],
  usgov: ['livediagnostics.monitor.azure.us', 'live.applicationinsights.azure.us', 'quickpulse.applicationinsights.us'],
} as const satisfies Record<AzureCloud, readonly string[]>;

/**
 * Whether the service's endpoint redirect (`x-ms-qps-service-endpoint-redirect-v2`) may take
 * Live Metrics requests (and the bearer token) to `target`: the configured host (any port), or a
 * Live Metrics domain of the configured endpoint's cloud, over https; plain http only to a
 * loopback host that is the configured one.
 */
export function isAllowedLiveRedirect(configured: URL, target: URL): boolean {
  const host = target.hostname.toLowerCase();
  if (target.protocol === 'http:') return isLoopbackHost(host) && host === configured.hostname.toLowerCase();
  if (target.protocol !== 'https:') return false;
  if (host === configured.hostname.toLowerCase()) return true;
  return LIVE_DOMAINS_BY_CLOUD[cloudOfEndpoint(configured.href)].some((d) => host === d || host.endsWith(`.${d}`));
}
