/** The request headers the origin policy reads. */
export interface OriginHeaders {
  readonly origin?: string | undefined;
  readonly referer?: string | undefined;
  readonly host?: string | undefined;
}

/** The origin policy's decision; `corsOrigin` is set when CORS headers must be sent. */
export type OriginDecision =
  | { readonly allowed: true; readonly corsOrigin?: string }
  | { readonly allowed: false; readonly reason: string };

/**
 * Same origin, or one of `allowedOrigins` (pure). The page's origin is its `Origin` header (browsers
 * send it on every POST, `sendBeacon` included), else its `Referer`; a request with neither, or
 * with the opaque origin `null`, is refused. Same origin means the origin's host (and port) equals
 * the request's `Host`; the scheme is not compared, since a TLS-terminating proxy may stand in front.
 */
export function checkOrigin(headers: OriginHeaders, allowedOrigins: ReadonlySet<string>): OriginDecision {
  const origin = headers.origin ?? originOfUrl(headers.referer);
  if (origin === undefined) return { allowed: false, reason: 'the request has neither an Origin nor a Referer header' };
  const url = parseOrigin(origin);
  if (url === undefined) return { allowed: false, reason: 'the Origin header is not a URL origin' };
  if (allowedOrigins.has(url.origin)) return { allowed: true, corsOrigin: url.origin };
  if (headers.host !== undefined && url.host === headers.host.toLowerCase()) return { allowed: true };
  return { allowed: false, reason: 'the page\'s origin is neither the app\'s own nor one of allowedOrigins' };
}

function originOfUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : parseOrigin(url)?.origin;
}

function parseOrigin(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url;
  } catch {
    return undefined;
  }
}
