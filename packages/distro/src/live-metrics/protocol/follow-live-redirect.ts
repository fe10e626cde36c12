import type { Diagnostics } from '@appinsights-otel/core';
import { isAllowedLiveRedirect } from './is-allowed-live-redirect';

/**
 * The endpoint to use after an `x-ms-qps-service-endpoint-redirect-v2` answer: the target's origin
 * when it is allowed (the configured host, or a Live Metrics domain of the same cloud), else
 * `undefined` with a rate-limited warning (an unreadable or refused target is ignored). Only the
 * origin, as the official client: the service names a host, the paths are the protocol's.
 */
export function followLiveRedirect(configured: URL, target: string, diagnostics: Diagnostics): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    diagnostics.report({ causeKey: 'live-metrics:redirect-unreadable', level: 'warn', message: '[live metrics] the service sent an unreadable endpoint redirect; ignored' });
    return undefined;
  }
  if (!isAllowedLiveRedirect(configured, url)) {
    diagnostics.report({
      causeKey: `live-metrics:redirect-refused:${url.origin}`,
      level: 'warn',
      message: `[live metrics] endpoint redirect to ${url.origin} ignored: neither the configured host nor a Live Metrics domain of the same cloud`,
    });
    return undefined;
  }
  return url.origin;
}
