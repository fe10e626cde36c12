import { cloudOfEndpoint, type TokenClaims } from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/**
 * Checks that the token's audience is the one ingestion expects: the scope's origin (from
 * AADAudience, or the ingestion endpoint's cloud), and in the same cloud as the endpoint.
 *
 * @param claims - The token's claims (undefined for an opaque token: the check is skipped).
 * @param scope - The scope that was requested.
 * @param ingestionEndpoint - The ingestion endpoint from the connection string.
 * @param audienceSource - Where the requested audience came from, so the fix names the right setting.
 */
export function checkAudience(claims: TokenClaims | undefined, scope: string, ingestionEndpoint: string, audienceSource: AudienceSource = 'AADAudience in the connection string'): StepResult {
  if (claims?.aud === undefined) return { step: 'audience', status: 'skip', summary: 'the token is not a readable JWT; audience not checked' };
  const expected = trimAudience(scope.replace(/\/\.default$/, ''));
  const actual = trimAudience(claims.aud);
  const endpointCloud = cloudOfEndpoint(ingestionEndpoint);
  const tokenCloud = cloudOfAudience(actual);
  if (tokenCloud !== endpointCloud) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is for the ${tokenCloud} cloud, but the ingestion endpoint ${ingestionEndpoint} is in the ${endpointCloud} cloud`,
      fix: `remove or correct ${audienceSource} (for the ${endpointCloud} cloud it is ${CLOUD_AUDIENCES[endpointCloud]})`,
    };
  }
  if (actual !== expected) {
    return {
      step: 'audience', status: 'fail',
      summary: `token audience ${claims.aud} is not the requested ${expected}`,
      fix: 'the credential returned a token for another resource: check the credential and any audience override',
    };
  }
  return { step: 'audience', status: 'ok', summary: `${claims.aud} matches the ingestion endpoint's cloud (${endpointCloud})` };
}

/** The setting an ingestion audience came from, as the user would name it. */
export type AudienceSource = 'the --audience flag' | 'AADAudience in the connection string' | "the endpoint's cloud";

const CLOUD_AUDIENCES = { public: 'https://monitor.azure.com', china: 'https://monitor.azure.cn', usgov: 'https://monitor.azure.us' } as const;

function trimAudience(value: string): string {
  return value.trim().replace(/\/+$/, '').toLowerCase();
}

function cloudOfAudience(audience: string): 'public' | 'china' | 'usgov' {
  return cloudOfEndpoint(/^[a-z][a-z0-9+.-]*:\/\//i.test(audience) ? audience : `https://${audience}`);
}
