import { ConfigError } from '@appinsights-otel/core';
import type { RequestFilterOptions } from './request-filter-options';

const LIST_KEYS = ['routes', 'pathPrefixes', 'methods', 'userAgents'] as const;
const KNOWN_KEYS: readonly string[] = [...LIST_KEYS, 'healthProbes', 'predicate'];

/**
 * Validates a `filterRequests` value, from `useAzureMonitor()` or the configuration file (`source`
 * names it in messages). Throws a `ConfigError` that names the key and the expected shape.
 */
export function parseRequestFilter(value: unknown, source: string): RequestFilterOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${source}: filterRequests must be an object such as { "pathPrefixes": ["/health"], "healthProbes": true }`);
  }
  const given = value as Record<string, unknown>;
  const unknownKeys = Object.keys(given).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(`${source}: filterRequests has unknown key(s) ${unknownKeys.join(', ')}; the keys are ${KNOWN_KEYS.join(', ')}`);
  }
  const filter: RequestFilterOptions = {};
  for (const key of LIST_KEYS) {
    const list = given[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string' && entry.length > 0)) {
      throw new ConfigError(`${source}: filterRequests.${key} must be a list of non-empty strings, such as ["/health"]`);
    }
    filter[key] = [...(list as string[])];
  }
  if (given['healthProbes'] !== undefined) {
    if (typeof given['healthProbes'] !== 'boolean') throw new ConfigError(`${source}: filterRequests.healthProbes must be true or false`);
    filter.healthProbes = given['healthProbes'];
  }
  if (given['predicate'] !== undefined) {
    if (typeof given['predicate'] !== 'function') throw new ConfigError(`${source}: filterRequests.predicate must be a function (request) => boolean, returning true to drop`);
    filter.predicate = given['predicate'] as RequestFilterOptions['predicate'] & object;
  }
  return filter;
}
