import { timingSafeEqual } from 'node:crypto';

/** Header that carries the per-instance secret for scripted state changes. */
export const INSPECTOR_SECRET_HEADER = 'x-inspector-secret';

/** Why a request to the inspector was refused, or `undefined` when it may proceed. */
export interface AccessRefusal {
  readonly status: 403 | 421;
  readonly message: string;
}

/** Facts about one request to the inspector. */
export interface InspectorRequestFacts {
  readonly method: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly secret: string | undefined;
  readonly remoteLoopback: boolean;
}

/** The inspector's access policy for one emulator instance. */
export interface InspectorAccessPolicy {
  /** `Host` values that name this emulator (`127.0.0.1:port`, `localhost:port`, `[::1]:port`). */
  readonly hosts: readonly string[];
  /** The per-instance secret printed in the start banner. */
  readonly secret: string;
  /** Whether non-loopback clients may use the inspector (default false). */
  readonly allowRemote: boolean;
}

/** The `Host` values of an emulator listening on `port` (and on `boundHost` when it is not a wildcard). */
export function ownHosts(port: number, boundHost: string): string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (boundHost !== '0.0.0.0' && boundHost !== '::') {
    const h = boundHost.includes(':') ? `[${boundHost}]:${port}` : `${boundHost}:${port}`;
    if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Decides whether the inspector answers a request: loopback clients only (unless allowed), `Host`
 * must name this emulator (DNS rebinding), and anything but GET/HEAD needs the instance secret or an
 * `Origin` that is this emulator (a page served by the inspector itself). No CORS is ever answered.
 */
export function checkInspectorAccess(facts: InspectorRequestFacts, policy: InspectorAccessPolicy): AccessRefusal | undefined {
  if (!facts.remoteLoopback && !policy.allowRemote) return { status: 403, message: 'the inspector answers loopback clients only' };
  const host = (facts.host ?? '').toLowerCase();
  if (!policy.hosts.includes(host)) {
    return { status: 421, message: `the inspector answers only requests addressed to this emulator (Host ${policy.hosts.join(' or ')}), not "${facts.host ?? ''}"` };
  }
  if (SAFE_METHODS.has(facts.method)) return undefined;
  if (facts.secret !== undefined && sameSecret(facts.secret, policy.secret)) return undefined;
  if (facts.origin !== undefined && policy.hosts.some((h) => facts.origin?.toLowerCase() === `http://${h}`)) return undefined;
  return { status: 403, message: `changes need a page served by this emulator (same Origin) or the ${INSPECTOR_SECRET_HEADER} header from the start banner` };
}

/**
 * The emulator's admin endpoints (chaos, Live Metrics configuration) for scripts and tests: `Host`
 * must name this emulator (DNS rebinding), and a change sent by a browser (it carries `Origin`) must
 * come from a page this emulator served; scripts send no `Origin`. No CORS is ever answered.
 */
export function checkAdminAccess(facts: Omit<InspectorRequestFacts, 'secret' | 'remoteLoopback'>, hosts: readonly string[]): AccessRefusal | undefined {
  const host = (facts.host ?? '').toLowerCase();
  if (!hosts.includes(host)) return { status: 421, message: `the admin endpoints answer only requests addressed to this emulator (Host ${hosts.join(' or ')}), not "${facts.host ?? ''}"` };
  if (SAFE_METHODS.has(facts.method) || facts.origin === undefined) return undefined;
  if (hosts.some((h) => facts.origin?.toLowerCase() === `http://${h}`)) return undefined;
  return { status: 403, message: `the admin endpoints refuse changes from another site (Origin ${facts.origin})` };
}
