import { cloudOfEndpoint, deriveQueryScope, deriveScope, type TokenClaims } from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/**
 * Checks that the token's audience is the one ingestion accepts: Azure Monitor's audience of the
 * ingestion endpoint's cloud (`https://monitor.azure.com` for public). A token for another resource
 * (the query API's `https://api.applicationinsights.io` is the usual mix-up), for another cloud, or
 * not the one requested fails here, before the test item is sent. The cloud audiences come from
 * core's scope derivation (`deriveScope`, `deriveQueryScope`), the same the exporters use.
 *
 * @param claims - The token's claims (undefined for an opaque token: the check is skipped).
 * @param scope - The scope that was requested.
 * @param ingestionEndpoint - The ingestion endpoint from the connection string.
 * @param audienceSource - Where the requested audience came from, so the fix names the right setting.
 */
export function checkAudience(claims: TokenClaims | undefined, scope: string, ingestionEndpoint: string, audienceSource: AudienceSource = 'AADAudience in the connection string'): StepResult {
  if (claims?.aud === undefined) return { step: 'audience', status: 'skip', summary: 'the token is not a readable JWT; audience not checked' };
  const actual = trimAudience(claims.aud);
  const actualUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(actual) ? actual : `https://${actual}`;
  const endpointCloud = cloudOfEndpoint(ingestionEndpoint);
  const ingestionAudience = audienceOfScope(deriveScope({ ingestionEndpoint }));
  const fix = `remove or correct ${audienceSource} (for the ${endpointCloud} cloud the ingestion audience is ${ingestionAudience})`;
  if (audienceOfScope(deriveQueryScope({ queryEndpoint: actualUrl })) === actual) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is the Application Insights query API's (for reading telemetry), not ingestion's: ingestion rejects it`,
      fix,
    };
  }
  const tokenCloud = cloudOfEndpoint(actualUrl);
  if (tokenCloud !== endpointCloud) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is for the ${tokenCloud} cloud, but the ingestion endpoint ${ingestionEndpoint} is in the ${endpointCloud} cloud`,
      fix,
    };
  }
  if (actual !== audienceOfScope(scope)) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is not the requested ${audienceOfScope(scope)}`,
      fix: 'the credential returned a token for another resource: check the credential and any audience override',
    };
  }
  if (actual !== ingestionAudience) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is not Azure Monitor ingestion's (${ingestionAudience} in the ${endpointCloud} cloud): ingestion rejects it`,
      fix,
    };
  }
  return { step: 'audience', status: 'ok', summary: `${claims.aud} is the ingestion audience of the endpoint's cloud (${endpointCloud})` };
}

/** The setting an ingestion audience came from, as the user would name it. */
export type AudienceSource = 'the --audience flag' | 'AADAudience in the connection string' | "the endpoint's cloud";

function audienceOfScope(scope: string): string {
  return trimAudience(scope.replace(/\/\.default$/, ''));
}

function trimAudience(value: string): string {
  return value.trim().replace(/\/+$/, '').toLowerCase();
}
