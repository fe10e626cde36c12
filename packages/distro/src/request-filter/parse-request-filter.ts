import { InvalidSettingError } from '../config/setting-parsers';
import type { RequestFilterOptions } from './request-filter-options';

const LIST_KEYS = ['routes', 'pathPrefixes', 'methods', 'userAgents'] as const;
const KNOWN_KEYS: readonly string[] = [...LIST_KEYS, 'healthProbes', 'predicate'];

/**
 * Validates a `filterRequests` value (from `useAzureMonitor()` or the configuration file): the
 * settings-table parser of the `filterRequests` row. Throws an `InvalidSettingError` that names the
 * key and the expected shape; the setting then falls back to no filter, with a warning.
 */
export function parseRequestFilter(value: unknown): RequestFilterOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidSettingError('must be an object such as { "pathPrefixes": ["/health"], "healthProbes": true }', 'filterRequests');
  }
  const given = value as Record<string, unknown>;
  const unknownKeys = Object.keys(given).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknownKeys.length > 0) {
    throw new InvalidSettingError(`has unknown key(s) ${unknownKeys.join(', ')}; the keys are ${KNOWN_KEYS.join(', ')}`, 'filterRequests');
  }
  const filter: RequestFilterOptions = {};
  for (const key of LIST_KEYS) {
    const list = given[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string' && entry.length > 0)) {
      throw new InvalidSettingError('must be a list of non-empty strings, such as ["/health"]', `filterRequests.${key}`);
    }
    filter[key] = [...(list as string[])];
  }
  if (given['healthProbes'] !== undefined) {
    if (typeof given['healthProbes'] !== 'boolean') throw new InvalidSettingError('must be true or false', 'filterRequests.healthProbes');
    filter.healthProbes = given['healthProbes'];
  }
  if (given['predicate'] !== undefined) {
    if (typeof given['predicate'] !== 'function') {
      throw new InvalidSettingError('must be a function (request) => boolean, returning true to drop', 'filterRequests.predicate');
    }
    filter.predicate = given['predicate'] as NonNullable<RequestFilterOptions['predicate']>;
  }
  return filter;
}
