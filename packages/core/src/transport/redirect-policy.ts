import { cloudOfEndpoint, type AzureCloud } from '../config/derive-scope';
import { isLoopbackHost } from '../config/is-loopback-host';
import { headerValue, type ResponseHeaders } from './parse-retry-after';

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

/** What a redirect policy sees of one response. */
export interface RedirectCandidate {
  /** The URL that was requested. */
  readonly url: URL;
  readonly statusCode: number;
  readonly headers: ResponseHeaders;
}

/**
 * How an authenticated request treats redirects (see `authenticatedRequest`). Absent: every
 * response is final (the query API).
 */
export interface RedirectPolicy {
  /** Where this response sends the same request next, or `undefined` when it is the final response. */
  next(response: RedirectCandidate): URL | undefined;
  /** Whether the request, and its bearer token, may go to `target`. */
  allows(target: URL): boolean;
  /** Told of each redirect followed (ingestion remembers a 308's target). */
  followed?(statusCode: number, target: URL): void;
  /** An endpoint a final response asks the caller to use from now on; not followed here (Live Metrics). */
  movedTo?(response: RedirectCandidate): string | undefined;
}

/** Ingestion's redirect policy, with the 308 target it remembers for the transport's life. */
export interface IngestionRedirects extends RedirectPolicy {
  /** The target of the last permanent (308) redirect followed, if any. */
  permanentUrl(): URL | undefined;
}

/**
 * Ingestion's policy: follow a 307/308 `Location` only to an allowed target
 * ({@link isAllowedRedirectTarget} of `configured`), remembering the last 308 target.
 */
export function createIngestionRedirects(configured: URL): IngestionRedirects {
  let permanent: URL | undefined;
  return {
    next: (r) => (r.statusCode === 307 || r.statusCode === 308 ? resolveRedirectLocation(r.url, headerValue(r.headers, 'location')) : undefined),
    allows: (target) => isAllowedRedirectTarget(configured, target),
    followed(statusCode, target) {
      if (statusCode === 308) permanent = target;
    },
    permanentUrl: () => permanent,
  };
}

/**
 * A policy that never re-sends but reports the endpoint a response names in `header` (Live
 * Metrics' `x-ms-qps-service-endpoint-redirect-v2`); the caller decides whether to use it.
 */
export function createHeaderRedirects(header: string): RedirectPolicy {
  const name = header.toLowerCase();
  return {
    next: () => undefined,
    allows: () => false,
    movedTo: (r) => headerValue(r.headers, name),
  };
}
