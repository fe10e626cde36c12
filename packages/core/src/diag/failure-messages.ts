/** The role an identity needs to send telemetry to an Application Insights resource. */
const PUBLISHER_ROLE = 'Monitoring Metrics Publisher';

/** Who a token was issued to, read from its payload (never the token itself). */
export interface IdentityFacts {
  readonly aud?: string;
  readonly tid?: string;
  readonly oid?: string;
  readonly appid?: string;
}

/** 400 "authentication not supported", or 401 to a request sent without a token. */
export function entraOnlyResourceMessage(): string {
  return (
    'this resource accepts only Microsoft Entra ID authenticated telemetry: pass `credential` or set ' +
    'APPLICATIONINSIGHTS_AUTHENTICATION_STRING (e.g. "Authorization=AAD" for a system-assigned managed identity); ' +
    'telemetry is kept meanwhile'
  );
}

/** 401 after one retry with a fresh token. */
export function tokenRejectedMessage(scope: string | undefined, identity: IdentityFacts | undefined): string {
  const audience = identity?.aud ? ` (token audience ${identity.aud})` : '';
  return (
    `token rejected (401) even after a fresh token was acquired: it was requested for scope ${scope ?? '(unknown)'}${audience}; ` +
    'the scope must match the cloud of the Application Insights resource (https://monitor.azure.com/.default public, ' +
    'https://monitor.azure.cn/.default China, https://monitor.azure.us/.default US Government): set AADAudience in the ' +
    'connection string if yours differs, and check the identity belongs to the resource\'s tenant'
  );
}

/** A readable `appid=... oid=... tid=...` for an identity, or `the identity` when unknown. */
export function describeIdentity(identity: IdentityFacts | undefined): string {
  const parts = (['appid', 'oid', 'tid'] as const).filter((k) => identity?.[k]).map((k) => `${k}=${identity?.[k]}`);
  return parts.length > 0 ? `identity ${parts.join(' ')}` : 'the identity (token payload unreadable)';
}

/** 403: the identity lacks the publisher role. */
export function missingRoleMessage(identity: IdentityFacts | undefined): string {
  return (
    `${describeIdentity(identity)} lacks the ${PUBLISHER_ROLE} role on this Application Insights resource (403): ` +
    `assign ${PUBLISHER_ROLE} to it with the resource as scope; new role assignments can take several minutes to apply`
  );
}

/** A bearer token would have gone over plain http to a non-loopback host. */
export function insecureBearerMessage(origin: string): string {
  return (
    `refused to send a Microsoft Entra ID token over plain http to ${origin}: use an https ingestion endpoint ` +
    '(only loopback hosts may use http)'
  );
}

/** A redirect pointed outside the configured host and Azure Monitor's ingestion domains. */
export function disallowedRedirectMessage(statusCode: number, targetOrigin: string): string {
  return (
    `ingestion redirected (${statusCode}) to ${targetOrigin}, which is neither the configured host nor an Azure Monitor ` +
    'ingestion domain of the same cloud: not followed, no token sent; check IngestionEndpoint in the connection string ' +
    'and any proxy rewriting responses'
  );
}

/** Too many redirects in one send. */
export function redirectLimitMessage(maxHops: number): string {
  return `ingestion redirected more than ${maxHops} times: stopped; check IngestionEndpoint in the connection string`;
}
