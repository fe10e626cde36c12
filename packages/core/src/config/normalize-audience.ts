import { ConfigError } from '../errors';

const DEFAULT_SUFFIX = '/.default';

/**
 * Turns an Entra ID audience (resource) or scope into a token scope. Accepts
 * `https://monitor.azure.com`, `https://monitor.azure.com/` and `https://monitor.azure.com/.default`
 * (host case-insensitive) and always returns `<origin>/.default`, never `//.default`. App ID URIs
 * (`api://<guid>`) are accepted too.
 *
 * @param value - The audience or scope as configured.
 * @param where - Names the setting in error messages; the value itself is never echoed.
 * @throws ConfigError when the value is not an absolute URL with a host.
 */
export function normalizeAudience(value: string, where: string): string {
  let text = value.trim().replace(/\/+$/, ''); // `https://monitor.azure.com/.default/` is a scope too
  if (text.toLowerCase().endsWith(DEFAULT_SUFFIX)) text = text.slice(0, -DEFAULT_SUFFIX.length);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${where} is not an absolute URL (expected e.g. https://monitor.azure.com)`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.hostname === '') {
    throw new ConfigError(`${where} must be a plain URL such as https://monitor.azure.com (no credentials, query or fragment)`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = url.protocol === 'https:' || url.protocol === 'http:'
    ? `${url.origin}${path}`
    : `${url.protocol}//${url.host}${path}`;
  return `${base}${DEFAULT_SUFFIX}`;
}
