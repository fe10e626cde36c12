import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import { join } from 'node:path';
import { getSharedTokenProvider, readPackageVersion, type ResolvedConfig } from '@appinsights-otel/core';
import { createQuickPulseClient, QUICK_PULSE_REQUEST_TIMEOUT_MILLIS } from './create-quick-pulse-client';
import { createLiveMetricsSession, type LiveMetricsSession, type LiveMetricsSource } from './create-live-metrics-session';
import { resolveLiveEndpoint } from './resolve-live-endpoint';

/** Options of {@link createLiveMetrics}. */
export interface LiveMetricsOptions {
  /** Where the session gets metrics and documents. */
  readonly source: LiveMetricsSource;
  /** `cloud_RoleName` shown by the portal (default: empty). */
  readonly roleName?: string;
  /** `cloud_RoleInstance` shown by the portal (default: the host name). */
  readonly instance?: string;
  /** Prepended to our `User-Agent`. */
  readonly userAgent?: string;
  readonly dispatcher?: Dispatcher;
}

/**
 * A Live Metrics session for a resolved exporter configuration: the endpoint from
 * {@link resolveLiveEndpoint}, and, with a credential, the
 * process-wide shared token provider for the ingestion scope, so Live Metrics and the three
 * exporters share one token. Not started: call `start()`; nothing is contacted before.
 */
export function createLiveMetrics(config: ResolvedConfig, options: LiveMetricsOptions): LiveMetricsSession {
  const tokenProvider = config.credential ? getSharedTokenProvider(config.credential, config.scope) : undefined;
  const host = hostname();
  return createLiveMetricsSession({
    client: createQuickPulseClient({
      instrumentationKey: config.instrumentationKey,
      requestTimeoutMillis: Math.min(config.requestTimeoutMillis, QUICK_PULSE_REQUEST_TIMEOUT_MILLIS),
      ...(tokenProvider ? { tokenProvider } : {}),
      ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
      ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
    }),
    endpoint: resolveLiveEndpoint(config.connectionString),
    identity: {
      instance: options.instance ?? host,
      machineName: host,
      roleName: options.roleName ?? '',
      streamId: randomUUID().replace(/-/g, ''),
      version: `node:otel-appinsights-${readPackageVersion(join(__dirname, '..', '..', '..'), '0.0.0')}`,
    },
    source: options.source,
  });
}
