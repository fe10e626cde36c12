import {
  authenticatedRequest, classifyResponse, createIngestionRedirects, deriveScope, findUntrustedCertificateCode,
  maskInstrumentationKey, untrustedCertificateCause, untrustedCertificateFix,
  type AuthenticatedOutcome, type ConnectionString, type TokenProvider,
} from '@appinsights-otel/core';
import type { StepResult } from './doctor-types';

/** Answers are read up to this many bytes (a track response is far smaller). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What the ingestion step sends with. */
export interface TestSend {
  readonly connectionString: ConnectionString;
  /** Bearer tokens (the token step's first); without them the item goes to `v2/track` (instrumentation-key ingestion). */
  readonly tokens?: TokenProvider;
  readonly scope: string;
  readonly timeoutMillis: number;
}

/**
 * Sends one MessageData item ("appinsights-otel doctor test item") through core's authenticated
 * request (the exporters' path: https-only token, capped answer, one retry after a 401 with any
 * claims challenge, ingestion's redirect allowlist) and explains the answer the way the exporters
 * do: classified by core's status policy (`classifyResponse`) and worded by core's messages
 * (Entra-only resource, token rejected, missing Monitoring Metrics Publisher role, quota, ...). The
 * doctor adds what only it knows: for a 401, whether the scope it requested differs from the one
 * the endpoint's cloud expects.
 */
export async function sendTestItem(send: TestSend): Promise<StepResult> {
  const url = `${send.connectionString.ingestionEndpoint}/${send.tokens !== undefined ? 'v2.1/track' : 'v2/track'}`;
  const sent = await authenticatedRequest({
    url: new URL(url),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([testItem(send.connectionString.instrumentationKey)]),
    ...(send.tokens !== undefined ? { tokens: send.tokens } : {}),
    signal: AbortSignal.timeout(send.timeoutMillis),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    redirects: createIngestionRedirects(new URL(send.connectionString.ingestionEndpoint)),
  });
  if (sent.kind !== 'response') return notAnswered(url, sent);
  return explainAnswer(send, sent, sent.url.href === new URL(url).href ? url : sent.url.href);
}

function testItem(instrumentationKey: string): object {
  return {
    ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: new Date().toISOString(), iKey: instrumentationKey,
    tags: { 'ai.cloud.role': 'appinsights-otel-doctor', 'ai.internal.sdkVersion': 'appinsights-otel-doctor' },
    data: { baseType: 'MessageData', baseData: { ver: 2, message: 'appinsights-otel doctor test item', severityLevel: 'Information' } },
  };
}

/** No answer to explain: the network, the token, plain http, or a refused redirect. */
function notAnswered(url: string, sent: Exclude<AuthenticatedOutcome, { kind: 'response' }>): StepResult {
  if (sent.kind !== 'network') {
    const status = sent.kind === 'redirect-refused' ? `${sent.statusCode} from ${url}: ` : '';
    return { step: 'ingestion', status: 'fail', summary: `${status}${sent.error.message}`, fix: notAnsweredFix(sent.kind) };
  }
  const tlsCode = findUntrustedCertificateCode(sent.error);
  if (tlsCode !== undefined) {
    return { step: 'ingestion', status: 'fail', summary: `could not reach ${url}: ${untrustedCertificateCause(new URL(url).origin, tlsCode)}`, fix: untrustedCertificateFix() };
  }
  return {
    step: 'ingestion', status: 'fail', summary: `could not reach ${url}: ${sent.error instanceof Error ? sent.error.message : String(sent.error)}`,
    fix: 'check the IngestionEndpoint in the connection string, DNS, firewalls and HTTPS_PROXY',
  };
}

function notAnsweredFix(kind: 'credential-failed' | 'insecure' | 'redirect-refused'): string {
  switch (kind) {
    case 'credential-failed': return 'a fresh token was needed after a 401 and the credential gave none: check the credential settings';
    case 'insecure': return 'use the https IngestionEndpoint from the resource\'s connection string';
    case 'redirect-refused': return 'check the IngestionEndpoint in the connection string and any proxy that redirects';
  }
}

/** The verdict on ingestion's answer, by core's status policy. */
function explainAnswer(send: TestSend, sent: Extract<AuthenticatedOutcome, { kind: 'response' }>, where: string): StepResult {
  const status = sent.response.statusCode;
  const outcome = classifyResponse({
    statusCode: status,
    headers: sent.response.headers,
    bodyText: sent.response.bodyText,
    itemCount: 1,
    tokenSent: sent.tokenSent,
    scope: send.scope,
    ...(sent.identity !== undefined ? { identity: sent.identity } : {}),
  });
  const answered = `${status} from ${where}`;
  switch (outcome.status) {
    case 'success':
      return { step: 'ingestion', status: 'ok', summary: `${where} accepted the test item (resource ${maskInstrumentationKey(send.connectionString.instrumentationKey)})` };
    case 'partial':
      return {
        step: 'ingestion', status: outcome.dropped > 0 ? 'fail' : 'warn',
        summary: `${answered}: the test item was not accepted${outcome.reasons.length > 0 ? `: ${outcome.reasons.join('; ')}` : ''}`,
        ...(outcome.dropped > 0 ? { fix: 'the item was refused as invalid; report this with the message above' } : { fix: 'retry later; if it persists, check the service health' }),
      };
    case 'auth-failed':
      return {
        step: 'ingestion', status: 'fail', summary: `${answered}: ${outcome.error.message}`,
        ...(status === 401 && sent.tokenSent ? { fix: unauthorizedFix(send) } : {}),
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
