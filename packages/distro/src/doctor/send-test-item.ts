import { request } from 'undici';
import { AUTHENTICATION_STRING_ENV, deriveScope, maskInstrumentationKey, type ConnectionString, type TokenClaims } from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/** What the ingestion step sends with. */
export interface TestSend {
  readonly connectionString: ConnectionString;
  /** Bearer token; without one the item goes to `v2/track` (instrumentation-key ingestion). */
  readonly token?: string;
  readonly claims?: TokenClaims;
  readonly scope: string;
  readonly timeoutMillis: number;
}

/**
 * Sends one MessageData item ("appinsights-otel doctor test item") and explains the answer:
 * accepted; 400 authentication not supported (an Entra-only resource and no token); 401 (token
 * rejected); 403 (identity lacks Monitoring Metrics Publisher); anything else with the service's
 * message.
 */
export async function sendTestItem(send: TestSend): Promise<StepResult> {
  const path = send.token !== undefined ? 'v2.1/track' : 'v2/track';
  const url = `${send.connectionString.ingestionEndpoint}/${path}`;
  const item = {
    ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: new Date().toISOString(), iKey: send.connectionString.instrumentationKey,
    tags: { 'ai.cloud.role': 'appinsights-otel-doctor', 'ai.internal.sdkVersion': 'appinsights-otel-doctor' },
    data: { baseType: 'MessageData', baseData: { ver: 2, message: 'appinsights-otel doctor test item', severityLevel: 'Information' } },
  };
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(send.token !== undefined ? { authorization: `Bearer ${send.token}` } : {}) },
      body: JSON.stringify([item]),
      signal: AbortSignal.timeout(send.timeoutMillis),
    });
    status = res.statusCode;
    text = await res.body.text();
    // A proxy or server that echoes the request must not get the token into the report.
    if (send.token !== undefined) text = text.split(send.token).join('[redacted]');
  } catch (error: unknown) {
    return {
      step: 'ingestion', status: 'fail', summary: `could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'check the IngestionEndpoint in the connection string, DNS, firewalls and HTTPS_PROXY',
    };
  }
  const message = firstErrorMessage(text);
  const who = describeIdentity(send.claims);
  const ikey = maskInstrumentationKey(send.connectionString.instrumentationKey);
  switch (status) {
    case 200:
      return { step: 'ingestion', status: 'ok', summary: `${url} accepted the test item (resource ${ikey})` };
    case 400:
      if (send.token === undefined && /auth/i.test(message ?? '')) {
        return {
          step: 'ingestion', status: 'fail',
          summary: `400 from ${url}: this resource accepts only Microsoft Entra ID authenticated telemetry (local authentication is disabled) and no credential was configured`,
          fix: `pass { credential } to useAzureMonitor(), or set ${AUTHENTICATION_STRING_ENV}=Authorization=AAD (system-assigned managed identity) or Authorization=AAD;ClientId=<client id> (user-assigned)`,
        };
      }
      return { step: 'ingestion', status: 'fail', summary: `400 from ${url}: ${message ?? 'bad request'}`, fix: 'the item was refused as invalid; report this with the message above' };
    case 401:
      return {
        step: 'ingestion', status: 'fail',
        summary: `401 from ${url}: the token${who} was rejected${message !== undefined ? ` (${message})` : ''}`,
        fix: unauthorizedFix(send),
      };
    case 403:
      return {
        step: 'ingestion', status: 'fail',
        summary: `403 from ${url}: identity${who || ' (unknown)'} lacks the Monitoring Metrics Publisher role on resource ${ikey}`,
        fix: 'assign the Monitoring Metrics Publisher role to this identity on the Application Insights resource (Access control (IAM)), then allow up to a few minutes for it to take effect',
      };
    default:
      return {
        step: 'ingestion', status: status === 206 ? 'warn' : 'fail',
        summary: `${status} from ${url}${message !== undefined ? `: ${message}` : ''}`,
        fix: status === 429 || status === 439 || status === 402 ? 'the resource is throttled or over its daily cap; see its Usage and estimated costs page' : 'retry later; if it persists, check the service health',
      };
  }
}

function describeIdentity(claims: TokenClaims | undefined): string {
  if (claims === undefined) return '';
  const parts = [claims.appid !== undefined ? `appid ${claims.appid}` : undefined, claims.oid !== undefined ? `object id ${claims.oid}` : undefined]
    .filter((p): p is string => p !== undefined);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function firstErrorMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ message?: unknown }> };
    const message = body.errors?.[0]?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return text.trim() === '' ? undefined : text.trim().slice(0, 300);
  }
}

/** The fix for a 401: the scope the resource's cloud expects, and whether ours differed from it. */
function unauthorizedFix(send: TestSend): string {
  const cloudScope = deriveScope({ ingestionEndpoint: send.connectionString.ingestionEndpoint });
  const scopeHint = send.scope === cloudScope
    ? `the token was requested for ${send.scope}, the scope of the resource's cloud`
    : `the token was requested for ${send.scope}, but this endpoint's cloud expects ${cloudScope}: remove or correct the audience override (--audience or AADAudience)`;
  return `${scopeHint}; the token must also come from the tenant that owns the resource (check the credential's tenant id)`;
}
