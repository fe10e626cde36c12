import type { SendOutcome } from './transport-types';

/** Which line of the status policy a response (or a failure to get one) falls under. */
export type StatusPolicyKey =
  | 'success'
  | 'partial'
  | 'auth-not-supported'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'quota'
  | 'transient'
  | 'redirect'
  | 'credential-error';

/** One line of the status policy (DESIGN.md section 5, docs/errors-and-retries.md). */
export interface StatusPolicyRow {
  readonly key: StatusPolicyKey;
  /** The response as the docs name it. */
  readonly response: string;
  /** The HTTP statuses the row covers (empty for rows matched by body or by error). */
  readonly statuses: readonly number[];
  /** The outcome status the transport resolves with. */
  readonly outcome: SendOutcome['status'] | 'follow';
  /** What happens to the items. */
  readonly items: 'delivered' | 'partly re-sent, rest dropped' | 'kept' | 'dropped' | 'as the final response';
  /** What the exporter's callback reports. */
  readonly callback: 'SUCCESS' | 'SUCCESS or FAILED' | 'FAILED' | 'SUCCESS (queued)' | 'as the final response';
}

/** Matches the ingestion service's 400 for a Microsoft Entra-only resource (reason phrase or body). */
const AUTH_NOT_SUPPORTED_PATTERN = /authentication\s+(is\s+)?not\s+support(ed)?/i;

/** The status policy: ONE table, one line per row of DESIGN.md section 5, in match order. */
export const STATUS_POLICY: readonly StatusPolicyRow[] = [
  { key: 'success', response: '200', statuses: [200], outcome: 'success', items: 'delivered', callback: 'SUCCESS' },
  { key: 'partial', response: '206', statuses: [206], outcome: 'partial', items: 'partly re-sent, rest dropped', callback: 'SUCCESS or FAILED' },
  { key: 'auth-not-supported', response: '400 "authentication not supported"', statuses: [400], outcome: 'auth-failed', items: 'kept', callback: 'SUCCESS (queued)' },
  { key: 'invalid', response: 'other 400, other 4xx', statuses: [], outcome: 'failure', items: 'dropped', callback: 'FAILED' },
  { key: 'unauthorized', response: '401', statuses: [401], outcome: 'auth-failed', items: 'kept', callback: 'SUCCESS (queued)' },
  { key: 'forbidden', response: '403', statuses: [403], outcome: 'auth-failed', items: 'kept', callback: 'SUCCESS (queued)' },
  { key: 'quota', response: '402, 439', statuses: [402, 439], outcome: 'retryable', items: 'kept', callback: 'SUCCESS (queued)' },
  { key: 'transient', response: '408, 429, 500, 502, 503, 504, network error, timeout', statuses: [408, 429, 500, 502, 503, 504], outcome: 'retryable', items: 'kept', callback: 'SUCCESS (queued)' },
  { key: 'redirect', response: '307, 308', statuses: [307, 308], outcome: 'follow', items: 'as the final response', callback: 'as the final response' },
  { key: 'credential-error', response: 'credential error', statuses: [], outcome: 'auth-failed', items: 'kept', callback: 'SUCCESS (queued)' },
];

/** What a status line and body say, for rows matched by more than the status. */
export interface StatusFacts {
  readonly statusText?: string;
  readonly bodyText?: string;
}

/**
 * The policy row for an HTTP status. Statuses the table does not name: other 2xx are success,
 * other 5xx transient (nothing is lost by retrying), anything else (1xx, other 3xx, other 4xx)
 * invalid.
 */
export function classifyStatus(statusCode: number, facts: StatusFacts = {}): StatusPolicyKey {
  if (statusCode === 400 && isAuthNotSupported(facts)) return 'auth-not-supported';
  const row = STATUS_POLICY.find((r) => r.key !== 'auth-not-supported' && r.statuses.includes(statusCode));
  if (row) return row.key;
  if (statusCode >= 200 && statusCode < 300) return 'success';
  if (statusCode >= 500 && statusCode < 600) return 'transient';
  return 'invalid';
}

/** Whether a 400 is the service's "authentication not supported" (Entra-only resource) answer. */
function isAuthNotSupported(facts: StatusFacts): boolean {
  return AUTH_NOT_SUPPORTED_PATTERN.test(facts.statusText ?? '') || AUTH_NOT_SUPPORTED_PATTERN.test(facts.bodyText ?? '');
}
