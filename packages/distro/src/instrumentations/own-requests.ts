import type { RequestOptions } from 'node:http';

const METADATA_HOST = '169.254.169.254';

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
  return {
    isOwnRequestOptions(request) {
      const host = normalizeHost(request.hostname ?? request.host ?? '');
      const port = request.port !== undefined && request.port !== null && request.port !== ''
        ? String(request.port)
        : request.protocol === 'http:' ? '80' : '443';
      return isOwnHostPort(host, port);
    },
    isOwnUrl(url) {
      const hostPort = hostPortOfUrl(url);
      if (hostPort === undefined) return false;
      const colon = hostPort.lastIndexOf(':');
      return isOwnHostPort(hostPort.slice(0, colon), hostPort.slice(colon + 1));
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
  return host.toLowerCase().replace(/^\[|\]$/g, '');
}
