/** Audiences ingestion accepts. */
export const INGESTION_AUDIENCES: readonly string[] = ['https://monitor.azure.com', 'https://monitor.azure.com/'];
/** Audiences the query API accepts. */
export const QUERY_AUDIENCES: readonly string[] = ['https://api.applicationinsights.io', 'https://api.applicationinsights.io/'];

/** The `iss` claim for a tenant (v1 tokens, as Azure Monitor receives them). */
export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** Turns a v2 scope (`https://monitor.azure.com/.default`) or v1 resource into the token audience. */
export function audienceFromScopeOrResource(value: string): string {
  const first = value.trim().split(/\s+/).find((s) => s !== '' && !['openid', 'profile', 'offline_access'].includes(s)) ?? '';
  return first.endsWith('/.default') ? first.slice(0, -'/.default'.length) : first;
}
