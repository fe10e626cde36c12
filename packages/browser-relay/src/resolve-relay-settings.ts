import { ConfigError } from '@appinsights-otel/core';
import {
  DEFAULT_RELAY_PATH, DEFAULT_ROLE_SUFFIX, DEFAULT_SESSION_TOKEN_MAX_AGE_MILLIS, RELAY_LIMIT_DEFAULTS,
  type BrowserRelayLimits, type BrowserRelayOptions, type ClientIpPolicy,
} from './relay-options';

const MIN_SECRET_BYTES = 32;

/** What the relay runs with: validated, defaults filled, frozen. */
export interface RelaySettings {
  readonly path: string;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly roleName: string;
  readonly proxyHops: number;
  readonly clientIp: ClientIpPolicy;
  readonly limits: Readonly<Required<BrowserRelayLimits>>;
  readonly session?: { readonly secret: Uint8Array; readonly maxAgeMillis: number };
}

/** Validate the relay's own options; throws `ConfigError` naming the option and the fix. */
export function resolveRelaySettings(options: BrowserRelayOptions, env: NodeJS.ProcessEnv = process.env): RelaySettings {
  const limits = resolveLimits(options.limits ?? {});
  const serviceName = options.serviceName ?? env['OTEL_SERVICE_NAME'] ?? 'unknown_service';
  const roleName = options.roleName ?? `${serviceName}${options.roleSuffix ?? DEFAULT_ROLE_SUFFIX}`;
  if (roleName.trim() === '') throw new ConfigError('browser relay: roleName is empty; set roleName or serviceName');
  const clientIp = options.clientIp ?? 'connection';
  if (clientIp !== 'connection' && clientIp !== 'none') throw new ConfigError(`browser relay: clientIp must be 'connection' or 'none'`);
  return Object.freeze({
    path: resolvePath(options.path ?? DEFAULT_RELAY_PATH),
    allowedOrigins: new Set((options.allowedOrigins ?? []).map(resolveOrigin)),
    roleName,
    proxyHops: resolveProxyHops(options.trustProxy ?? false),
    clientIp,
    limits,
    ...(options.sessionToken ? { session: resolveSession(options.sessionToken) } : {}),
  });
}

function resolvePath(path: string): string {
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.includes('//')) {
    throw new ConfigError('browser relay: path must start with "/" and hold only URL path characters, e.g. "/ai-relay"');
  }
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

function resolveOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ConfigError('browser relay: each allowedOrigins entry must be an origin such as "https://app.example.com"');
  }
  if (url.origin === 'null' || url.origin !== origin.replace(/\/$/, '')) {
    throw new ConfigError(`browser relay: allowedOrigins entry "${origin}" is not a bare origin; write "${url.origin}"`);
  }
  return url.origin;
}

function resolveProxyHops(trustProxy: boolean | number): number {
  if (typeof trustProxy === 'boolean') return trustProxy ? 1 : 0;
  if (!Number.isInteger(trustProxy) || trustProxy < 0) throw new ConfigError('browser relay: trustProxy must be a boolean or the number of proxies in front of the app');
  return trustProxy;
}

function resolveLimits(given: BrowserRelayLimits): Readonly<Required<BrowserRelayLimits>> {
  const limits = { ...RELAY_LIMIT_DEFAULTS };
  for (const key of Object.keys(RELAY_LIMIT_DEFAULTS) as (keyof BrowserRelayLimits)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new ConfigError(`browser relay: limits.${key} must be a positive number (default ${RELAY_LIMIT_DEFAULTS[key]})`);
    }
    limits[key] = value;
  }
  if (limits.clientBurstItems < limits.maxItemsPerRequest || limits.globalBurstItems < limits.maxItemsPerRequest) {
    throw new ConfigError('browser relay: limits.clientBurstItems and limits.globalBurstItems must be at least limits.maxItemsPerRequest, or a full request could never pass');
  }
  if (limits.globalBurstBytes < limits.maxInflatedBytes) {
    throw new ConfigError('browser relay: limits.globalBurstBytes must be at least limits.maxInflatedBytes, or a full body could never pass');
  }
  if (limits.minSampleRate > 100) throw new ConfigError('browser relay: limits.minSampleRate is a percentage; give a number in (0, 100] (default 1)');
  return Object.freeze(limits);
}

function resolveSession(options: NonNullable<BrowserRelayOptions['sessionToken']>): RelaySettings['session'] {
  const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigError(`browser relay: sessionToken.secret must be at least ${MIN_SECRET_BYTES} bytes, e.g. crypto.randomBytes(32)`);
  }
  const maxAgeMillis = options.maxAgeMillis ?? DEFAULT_SESSION_TOKEN_MAX_AGE_MILLIS;
  if (!Number.isFinite(maxAgeMillis) || maxAgeMillis <= 0) throw new ConfigError('browser relay: sessionToken.maxAgeMillis must be a positive number');
  return { secret: Uint8Array.from(secret), maxAgeMillis };
}
