import { isIPv4 } from 'node:net';

/**
 * Whether a host name (as found in `URL.hostname`, with or without IPv6 brackets) is a loopback
 * host: `localhost`, any address in 127.0.0.0/8, or `::1`. Plain http and bearer tokens over http
 * are allowed only for these hosts (DESIGN.md section 4).
 *
 * @param hostname - A host name or IP literal; comparison is case-insensitive.
 * @returns `true` for loopback hosts only.
 */
export function isLoopbackHost(hostname: string): boolean {
  let host = hostname.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost') return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return isIPv4(host) && host.startsWith('127.');
}
