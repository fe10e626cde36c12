import { isIP } from 'node:net';

/** Address ingestion is given when the policy keeps none: it derives no location from it. */
export const NO_CLIENT_IP = '0.0.0.0';

/**
 * The client's address (pure). With `proxyHops` 0 it is the socket's remote address; with N trusted
 * proxies it is the Nth address from the right of `X-Forwarded-For` (each proxy appends the address
 * it saw, so the entries left of that are whatever the client claimed). A port on an entry
 * (`203.0.113.9:51234`, as Azure App Service writes it, or `[2001:db8::7]:443`) is left out, and an
 * IPv4-mapped IPv6 address is given as IPv4. Returns `undefined` when no valid address is found.
 */
export function resolveClientIp(remoteAddress: string | undefined, forwardedFor: string | undefined, proxyHops: number): string | undefined {
  let candidate = remoteAddress;
  if (proxyHops > 0 && forwardedFor !== undefined) {
    const hops = forwardedFor.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    if (hops.length > 0) candidate = withoutPort(hops[Math.max(0, hops.length - proxyHops)] ?? '');
  }
  if (candidate === undefined) return undefined;
  const address = candidate.startsWith('::ffff:') && isIP(candidate.slice(7)) === 4 ? candidate.slice(7) : candidate;
  return isIP(address) === 0 ? undefined : address;
}

function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  if (bracketed) return bracketed[1] ?? entry;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  return v4WithPort ? v4WithPort[1] ?? entry : entry;
}

/**
 * The key of a client's rate-limit bucket (pure): an IPv4 address itself; an IPv6 address by its
 * /64 prefix, since one subscriber or host is given a whole /64 and could otherwise take a fresh
 * bucket per address.
 */
export function clientKeyOf(address: string): string {
  if (isIP(address) !== 6 && !address.includes(':')) return address;
  const groups = ipv6Groups(address.replace(/%.*$/, ''));
  return groups === undefined ? address : `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as hex without leading zeros; `undefined` if it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  let text = address;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? (halves[1] ?? '').split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array<string>(missing).fill('0'), ...tail];
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups.map((g) => parseInt(g, 16).toString(16)) : undefined;
}
