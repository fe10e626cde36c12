/** A request path under the relay: which track endpoint, and the session token segment if any. */
export interface RelayPathMatch {
  /** `track` for `/v2/track` and `/v2.1/track`; `other` for any other path under the relay. */
  readonly endpoint: 'track' | 'other';
  /** The segment between the relay path and `/v2/track`, where the page puts its session token. */
  readonly token?: string;
}

const TRACK_SUFFIX = /^(?:\/([A-Za-z0-9._~-]{1,512}))?\/v2(?:\.1)?\/track\/?$/;

/**
 * Match a request URL against the relay's mount path (pure). The web SDK posts to
 * `<IngestionEndpoint>/v2/track`, so an endpoint of `<origin><path>` gives `<path>/v2/track`, and
 * `<origin><path>/<token>` gives `<path>/<token>/v2/track`. Returns `undefined` outside the relay.
 */
export function matchRelayPath(url: string | undefined, base: string): RelayPathMatch | undefined {
  const pathname = (url ?? '/').split('?')[0] ?? '/';
  const prefix = base === '/' ? '' : base;
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return undefined;
  const match = TRACK_SUFFIX.exec(pathname.slice(prefix.length));
  if (match === null) return { endpoint: 'other' };
  return match[1] === undefined ? { endpoint: 'track' } : { endpoint: 'track', token: match[1] };
}
