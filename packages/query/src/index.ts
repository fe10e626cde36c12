/**
 * @appinsights-otel/query: a Microsoft Entra ID authenticated client for the Application Insights
 * query API (`POST /v1/apps/{appId}/query`).
 */
export { QueryClient } from './query-client';
export type { QueryClientOptions } from './query-client';
export type { QueryCloud, QueryColumn, QueryOptions, QueryResult, QueryTable, QueryValue } from './query-types';
export { tableToObjects } from './table-to-objects';
export type { QueryRow } from './table-to-objects';
export { QueryError } from './query-error';
export { QUERY_ENDPOINTS } from './query-cloud';
