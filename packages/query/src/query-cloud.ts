import { ConfigError, deriveQueryScope, normalizeEndpoint } from '@appinsights-otel/core';
import type { QueryCloud } from './query-types';

/** Query API base URL per cloud. */
export const QUERY_ENDPOINTS: Readonly<Record<QueryCloud, string>> = {
  public: 'https://api.applicationinsights.io',
  china: 'https://api.applicationinsights.azure.cn',
  usgov: 'https://api.applicationinsights.us',
};

/** Where to send queries and which token scope to ask for. */
export interface QueryTarget {
  /** Base URL, no trailing slash. */
  readonly endpoint: string;
  /** Token scope, `<origin>/.default`. */
  readonly scope: string;
}

/**
 * Resolves the query endpoint and token scope from the client options. An explicit `endpoint` must
 * be https (http only for loopback hosts, e.g. the local emulator), so a Bearer token never travels
 * in clear text. The scope comes from `audience`
 * when given, else from `cloud`, else from the endpoint's domain (DESIGN.md section 4).
 *
 * @throws ConfigError for an unusable endpoint or cloud; the value is not echoed.
 */
export function resolveQueryTarget(options: { endpoint?: string; cloud?: QueryCloud; audience?: string }): QueryTarget {
  const cloud = options.cloud;
  if (cloud !== undefined && !(cloud in QUERY_ENDPOINTS)) {
    throw new ConfigError('QueryClient option "cloud" must be one of "public", "china", "usgov"');
  }
  const endpoint = options.endpoint === undefined ? QUERY_ENDPOINTS[cloud ?? 'public'] : normalizeEndpoint(options.endpoint, 'QueryClient option "endpoint"');
  const scope = deriveQueryScope(options.audience !== undefined
    ? { audience: options.audience }
    : { queryEndpoint: cloud !== undefined ? QUERY_ENDPOINTS[cloud] : endpoint });
  return { endpoint, scope };
}
