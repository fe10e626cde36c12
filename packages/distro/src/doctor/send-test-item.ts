import { request } from 'undici';
import {
  classifyResponse, deriveScope, findUntrustedCertificateCode, maskInstrumentationKey, untrustedCertificateCause,
  untrustedCertificateFix, type ConnectionString, type TokenClaims,
} from '@appinsights-otel/core';
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
 * Sends one MessageData item ("appinsights-otel doctor test item") and explains the answer the way
 * the exporters do: the response is classified by core's status policy (`classifyResponse`) and
 * worded by core's messages (Entra-only resource, token rejected, missing Monitoring Metrics
 * Publisher role, quota, ...). The doctor adds what only it knows: for a 401, whether the scope it
 * requested differs from the one the endpoint's cloud expects.
 */
export async function sendTestItem(send: TestSend): Promise<StepResult> {
  const path = send.token !== undefined ? 'v2.1/track' : 'v2/track';
  const url = `${send.connectionString.ingestionEndpoint}/${path}`;
  const item = {
    ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: new Date().toISOString(), iKey: send.connectionString.instrumentationKey,
    tags: { 'ai.cloud.role': 'appinsights-otel-doctor', 'ai.internal.sdkVersion': 'appinsights-otel-doctor' },
    data: { baseType: 'MessageData', baseData: { ver: 2, message: 'appinsights-otel doctor test item', severityLevel: 'Information' } },
  };
  let response: Awaited<ReturnType<typeof request>>;
  let text: string;
  try {
    response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(send.token !== undefined ? { authorization: `Bearer ${send.token}` } : {}) },
      body: JSON.stringify([item]),
      signal: AbortSignal.timeout(send.timeoutMillis),
    });
    text = await response.body.text();
    // A proxy or server that echoes the request must not get the token into the report.
    if (send.token !== undefined) text = text.split(send.token).join('[redacted]');
  } catch (error: unknown) {
    const tlsCode = findUntrustedCertificateCode(error);
    if (tlsCode !== undefined) {
      return { step: 'ingestion', status: 'fail', summary: `could not reach ${url}: ${untrustedCertificateCause(new URL(url).origin, tlsCode)}`, fix: untrustedCertificateFix() };
    }
    return {
      step: 'ingestion', status: 'fail', summary: `could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`,
      fix: 'check the IngestionEndpoint in the connection string, DNS, firewalls and HTTPS_PROXY',
    };
  }
  const status = response.statusCode;
  const outcome = classifyResponse({
    statusCode: status,
    headers: response.headers,
    bodyText: text,
    itemCount: 1,
    tokenSent: send.token !== undefined,
    scope: send.scope,
    ...(send.claims !== undefined ? { identity: send.claims } : {}),
  });
  const answered = `${status} from ${url}`;
  switch (outcome.status) {
    case 'success':
      return { step: 'ingestion', status: 'ok', summary: `${url} accepted the test item (resource ${maskInstrumentationKey(send.connectionString.instrumentationKey)})` };
    case 'partial':
      return {
        step: 'ingestion', status: outcome.dropped > 0 ? 'fail' : 'warn',
        summary: `${answered}: the test item was not accepted${outcome.reasons.length > 0 ? `: ${outcome.reasons.join('; ')}` : ''}`,
        ...(outcome.dropped > 0 ? { fix: 'the item was refused as invalid; report this with the message above' } : { fix: 'retry later; if it persists, check the service health' }),
      };
    case 'auth-failed':
      return {
        step: 'ingestion', status: 'fail', summary: `${answered}: ${outcome.error.message}`,
        ...(status === 401 && send.token !== undefined ? { fix: unauthorizedFix(send) } : {}),
      };
    case 'retryable':
      return {
        step: 'ingestion', status: 'fail', summary: `${answered}: ${outcome.error.message}`,
        fix: outcome.pause === true
          ? 'the resource is over its quota or daily cap; see its Usage and estimated costs page'
          : `retry ${outcome.retryAfterMillis !== undefined ? `in ${Math.ceil(outcome.retryAfterMillis / 1000)} s (the service's hint)` : 'later'}; if it persists, check the service health`,
      };
    case 'failure':
      return { step: 'ingestion', status: 'fail', summary: `${answered}: ${outcome.error.message}`, fix: 'the item was refused as invalid; report this with the message above' };
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
