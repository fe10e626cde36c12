import { AuthError, TransportError } from '../errors';
import {
  entraOnlyResourceMessage, missingRoleMessage, tokenRejectedMessage,
} from '../diag/failure-messages';
import type { TokenClaims } from '../auth/decode-token-claims';
import { describeResponseBody } from './describe-response-body';
import { parsePartialSuccess } from './partial-success';
import { parseRetryAfter, type ResponseHeaders } from './parse-retry-after';
import { classifyStatus } from './status-policy';
import type { SendOutcome } from './transport-types';

/** Default pause after 402/439 (quota, daily cap) when the server gives no hint. */
const QUOTA_PAUSE_MILLIS = 5 * 60_000;
/** Slow-backoff hint after 400-auth, 401, 403 and credential errors. */
export const AUTH_RETRY_AFTER_MILLIS = 60_000;

/** Everything about one final (non-redirect) response the policy looks at. */
export interface ResponseFacts {
  readonly statusCode: number;
  readonly statusText?: string;
  readonly headers: ResponseHeaders;
  /** The start of the response body (may be truncated or partial). */
  readonly bodyText: string;
  /** How many items the request held. */
  readonly itemCount: number;
  /** Whether the request carried a bearer token. */
  readonly tokenSent: boolean;
  /** The token scope, for the 401 message. */
  readonly scope?: string;
  /** Who the sent token was issued to, for the 401/403 messages. */
  readonly identity?: TokenClaims;
  readonly nowMillis?: number;
}

/** Turns a final response into an outcome, by the status policy table. Never throws. */
export function classifyResponse(facts: ResponseFacts): SendOutcome {
  const { statusCode } = facts;
  const retryAfterMillis = parseRetryAfter(facts.headers, facts.nowMillis);
  switch (classifyStatus(statusCode, facts)) {
    case 'success':
      return { status: 'success', itemCount: facts.itemCount };
    case 'partial': {
      const partial = parsePartialSuccess(facts.bodyText, facts.itemCount);
      if (!partial) {
        return {
          status: 'retryable',
          error: new TransportError('206 with an unreadable body: which items were accepted is unknown, keeping all', { statusCode }),
        };
      }
      if (partial.dropped === 0 && partial.retryIndexes.length === 0) return { status: 'success', itemCount: facts.itemCount };
      return { status: 'partial', ...partial };
    }
    case 'auth-not-supported':
      return { status: 'auth-failed', error: new AuthError(entraOnlyResourceMessage(), 400), retryAfterMillis: AUTH_RETRY_AFTER_MILLIS };
    case 'unauthorized':
      return {
        status: 'auth-failed',
        error: new AuthError(facts.tokenSent ? tokenRejectedMessage(facts.scope, facts.identity) : entraOnlyResourceMessage(), 401),
        retryAfterMillis: AUTH_RETRY_AFTER_MILLIS,
      };
    case 'forbidden':
      return { status: 'auth-failed', error: new AuthError(missingRoleMessage(facts.identity), 403), retryAfterMillis: AUTH_RETRY_AFTER_MILLIS };
    case 'quota':
      return {
        status: 'retryable',
        pause: true,
        retryAfterMillis: retryAfterMillis ?? QUOTA_PAUSE_MILLIS,
        error: new TransportError(`ingestion quota or daily cap reached (${statusCode}): sending paused`, {
          statusCode, retryAfterMillis: retryAfterMillis ?? QUOTA_PAUSE_MILLIS,
        }),
      };
    case 'transient':
      return {
        status: 'retryable',
        ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
        error: new TransportError(`ingestion answered ${statusCode}${describeResponseBody(facts.bodyText)}`, {
          statusCode, ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
        }),
      };
    case 'redirect':
      // Redirects are followed by the HTTP transport; one that reaches here had no usable Location.
      return { status: 'retryable', error: new TransportError(`ingestion answered ${statusCode} without a usable Location`, { statusCode }) };
    case 'invalid':
    case 'credential-error':
      return { status: 'failure', error: new TransportError(`ingestion refused the items (${statusCode})${describeResponseBody(facts.bodyText)}`, { statusCode }) };
  }
}
