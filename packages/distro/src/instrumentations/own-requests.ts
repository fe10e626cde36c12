import type { RequestOptions } from 'node:http';

const METADATA_HOST = '169.254.169.254';
/** Origins remembered by `isOwnUrl` (an app talks to a few; the cache starts over past this many). */
const ORIGIN_CACHE_SIZE = 256;
/** Whether a URL is a bare origin (`scheme://host[:port]`, no path), short enough to remember. */
const isBareOrigin = (url: string): boolean => url.length <= 300 && url.indexOf('/', 8) < 0;

/** Decides whether an outgoing request is one of the distro's own (never traced). */
export interface OwnRequestMatcher {
  /** For `node:http(s)` request options (HTTP instrumentation). */
  isOwnRequestOptions(request: RequestOptions): boolean;
  /** For an origin or absolute URL (`fetch`/undici, Azure SDK pipelines). */
  isOwnUrl(url: string): boolean;
}

/**
 * Builds the matcher for our own requests: ingestion, live metrics, the managed identity and Entra
 * authority endpoints (the origins given), and the instance metadata service, whatever the port.
 *
 * @param ownOrigins - Origins (`https://host:port`) whose requests are ours; malformed ones are ignored.
 */
export function createOwnRequestMatcher(ownOrigins: readonly string[]): OwnRequestMatcher {
  const own = new Set(ownOrigins.map(hostPortOfUrl).filter((h): h is string => h !== undefined));
  const isOwnHostPort = (host: string, port: string): boolean => host === METADATA_HOST || own.has(`${host}:${port}`);
  // fetch() asks for every request with its origin only (`http://host:port`): parsed once per origin.
  // Full URLs (Azure SDK requests) are parsed each time, never kept.
  const ownByUrl = new Map<string, boolean>();
  const isOwnUrl = (url: string): boolean => {
    const hostPort = hostPortOfUrl(url);
    if (hostPort === undefined) return false;
    const colon = hostPort.lastIndexOf(':');
    return isOwnHostPort(hostPort.slice(0, colon), hostPort.slice(colon + 1));
  };
  return {
    isOwnRequestOptions(request) {
      const host = normalizeHost(request.hostname ?? request.host ?? '');
      const port = request.port !== undefined && request.port !== null && request.port !== ''
        ? String(request.port)
        : request.protocol === 'http:' ? '80' : '443';
      return isOwnHostPort(host, port);
    },
    isOwnUrl(url) {
      if (!isBareOrigin(url)) return isOwnUrl(url);
      let isOwn = ownByUrl.get(url);
      if (isOwn === undefined) {
        isOwn = isOwnUrl(url);
        if (ownByUrl.size >= ORIGIN_CACHE_SIZE) ownByUrl.clear();
        ownByUrl.set(url, isOwn);
      }
      return isOwn;
    },
  };
}

function hostPortOfUrl(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
    return `${normalizeHost(url.hostname)}:${port}`;
  } catch {
    return undefined;
  }
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('[') || lower.endsWith(']') ? lower.replace(/^\[|\]$/g, '') : lower;
}
