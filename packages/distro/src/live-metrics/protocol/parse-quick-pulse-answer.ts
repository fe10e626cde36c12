import { headerValue, type ResponseHeaders } from '@appinsights-otel/core';
import { QUICK_PULSE_HEADERS } from './quick-pulse-contracts';

/** What a 200 ping or post answer says (see `QuickPulseResult`). */
export interface QuickPulseAnswer {
  readonly status: 'ok';
  readonly subscribed: boolean;
  readonly pollingIntervalHintMillis?: number;
  /** The endpoint the service wants used from now on (not yet checked against the redirect policy). */
  readonly redirectEndpoint?: string;
  /** `x-ms-qps-configuration-etag` of the answer (absent or empty: no configuration). */
  readonly configurationEtag?: string;
  /**
   * The answer's body (a `CollectionConfigurationInfo`, not yet checked), parsed only when its ETag
   * differs from the one sent: an unchanged configuration costs no parsing.
   */
  readonly configuration?: unknown;
}

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // the caller reports an unreadable configuration as a configuration error
  }
}

/**
 * A successful answer's headers and body -> {@link QuickPulseAnswer}: subscribed, the polling hint
 * and, when its ETag is new (differs from `sentEtag`), the filter configuration. Pure. (The
 * endpoint redirect comes from the authenticated request's header policy.)
 */
export function parseQuickPulseAnswer(headers: ResponseHeaders, bodyText: string, sentEtag: string): QuickPulseAnswer {
  const hint = positiveInt(headerValue(headers, QUICK_PULSE_HEADERS.pollingIntervalHint));
  const etag = headerValue(headers, QUICK_PULSE_HEADERS.configurationEtag);
  const changed = etag !== undefined && etag !== '' && etag !== sentEtag;
  return {
    status: 'ok',
    subscribed: headerValue(headers, QUICK_PULSE_HEADERS.subscribed)?.toLowerCase() === 'true',
    ...(hint !== undefined ? { pollingIntervalHintMillis: hint } : {}),
    ...(etag !== undefined ? { configurationEtag: etag } : {}),
    ...(changed ? { configuration: parseJson(bodyText) } : {}),
  };
}
