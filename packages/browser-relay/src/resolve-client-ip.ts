import { isIP } from 'node:net';

/** Address ingestion is given when the policy keeps none: it derives no location from it. */
export const NO_CLIENT_IP = '0.0.0.0';

/**
 * The client's address (pure). With `proxyHops` 0 it is the socket's remote address; with N trusted
 * proxies it is the Nth address from the right of `X-Forwarded-For` (each proxy appends the address
 * it saw, so the entries left of that are whatever the client claimed). An IPv4-mapped IPv6 address
 * is given as IPv4. Returns `undefined` when no valid address is found.
 */
export function resolveClientIp(remoteAddress: string | undefined, forwardedFor: string | undefined, proxyHops: number): string | undefined {
  let candidate = remoteAddress;
  if (proxyHops > 0 && forwardedFor !== undefined) {
    const hops = forwardedFor.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    if (hops.length > 0) candidate = hops[Math.max(0, hops.length - proxyHops)];
  }
  if (candidate === undefined) return undefined;
  const address = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(address) === 0 ? undefined : address;
}
