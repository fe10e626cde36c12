import { ConfigError } from '../errors';
import { isLoopbackHost } from './is-loopback-host';

/**
 * Validates and normalises an endpoint URL: it must be an absolute `https:` URL (`http:` only for
 * loopback hosts), without credentials, query or fragment. The result is the origin plus any path,
 * with trailing slashes removed (`https://example.com/`, `HTTPS://Example.com` -> `https://example.com`).
 *
 * @param value - The raw endpoint value.
 * @param where - Names the setting in error messages (e.g. `connection string segment 2 (IngestionEndpoint)`).
 *   The value itself is never echoed.
 * @throws ConfigError when the value is not acceptable.
 */
export function normalizeEndpoint(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`${where} is not an absolute URL (expected e.g. https://<region>.in.applicationinsights.azure.com/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${where} must be an https:// URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(`${where} uses http://, which is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https://`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`${where} must not contain a user name or password`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`${where} must not contain a query string or fragment`);
  }
  if (url.hostname === '') {
    throw new ConfigError(`${where} has no host`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
