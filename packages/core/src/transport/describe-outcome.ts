import { AuthError, CredentialAuthenticationError, TransportError, type ExporterError } from '../errors';
import { urlForLog, type DiagnosticEvent, type TelemetrySignal } from '../diag/diagnostic-event';
import { maskInstrumentationKey } from '../diag/mask-instrumentation-key';
import { redactSecrets } from '../diag/redact-secrets';
import type { SendOutcome } from './transport-types';

/** Where and what a send was about, for the diagnostic line. */
export interface DiagnosticContext {
  readonly signal: TelemetrySignal | string;
  readonly instrumentationKey: string;
  /** The configured ingestion endpoint (origin and path). */
  readonly configuredEndpoint: string;
  /** The URL actually posted to last (after redirects), if a request was made. */
  readonly actualUrl?: string;
  /** The final HTTP status, if a response was received. */
  readonly statusCode?: number;
  /** Items in the request. */
  readonly itemCount: number;
}

function statusOf(error: ExporterError, ctx: DiagnosticContext): number | undefined {
  if (ctx.statusCode !== undefined) return ctx.statusCode;
  if (error instanceof AuthError || error instanceof TransportError) return error.statusCode;
  return undefined;
}

function line(ctx: DiagnosticContext, what: string, status: number | undefined, items: string): string {
  const configured = urlForLog(ctx.configuredEndpoint);
  const actual = ctx.actualUrl ? ` (sent to ${urlForLog(ctx.actualUrl)})` : ' (no request sent)';
  return redactSecrets(
    `[${ctx.signal}] ${what} | status ${status ?? 'none'}, ikey ${maskInstrumentationKey(ctx.instrumentationKey)}, ` +
    `endpoint ${configured}${actual} | ${items}`
  );
}

/**
 * The diagnostic event for a send outcome, or `undefined` for success. Pure: names the signal,
 * status, masked ikey, endpoints (configured and actual) and what happened to the items.
 */
export function describeOutcome(outcome: SendOutcome, ctx: DiagnosticContext): DiagnosticEvent | undefined {
  const n = ctx.itemCount;
  switch (outcome.status) {
    case 'success':
      return undefined;
    case 'partial': {
      const items = `${outcome.accepted} accepted, ${outcome.retryIndexes.length} queued for retry, ${outcome.dropped} dropped`;
      const reasons = outcome.reasons.length > 0 ? `; reasons: ${outcome.reasons.join('; ')}` : '';
      return {
        causeKey: `${ctx.signal}:partial`,
        level: outcome.dropped > 0 ? 'error' : 'warn',
        message: line(ctx, `ingestion accepted part of a batch${reasons}`, ctx.statusCode ?? 206, items),
      };
    }
    case 'retryable': {
      const status = statusOf(outcome.error, ctx);
      const items = outcome.pause
        ? `${n} item(s) queued; sending paused for ${Math.round((outcome.retryAfterMillis ?? 0) / 1000)} s`
        : `${n} item(s) queued: retried from the offline queue with backoff`;
      return {
        causeKey: `${ctx.signal}:${outcome.pause ? 'paused' : 'retryable'}:${status ?? outcome.error.code}`,
        level: 'warn',
        message: line(ctx, outcome.error.message, status, items),
      };
    }
    case 'auth-failed': {
      const status = statusOf(outcome.error, ctx);
      const aadsts = outcome.error instanceof CredentialAuthenticationError ? (outcome.error.aadstsCode ?? '') : '';
      return {
        causeKey: `${ctx.signal}:${outcome.error.code}:${status ?? ''}:${aadsts}`,
        level: 'error',
        message: line(ctx, outcome.error.message, status, `${n} item(s) kept (queued), retried with slow backoff`),
      };
    }
    case 'failure': {
      const status = statusOf(outcome.error, ctx);
      return {
        causeKey: `${ctx.signal}:failure:${status ?? outcome.error.code}`,
        level: 'error',
        message: line(ctx, outcome.error.message, status, `${n} item(s) dropped`),
      };
    }
  }
}
