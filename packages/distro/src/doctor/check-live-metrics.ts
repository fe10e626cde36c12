import { hostname } from 'node:os';
import { AuthError, type ConnectionString, type TokenProvider } from '@appinsights-otel/core';
import { createQuickPulseClient } from '../live-metrics/protocol/create-quick-pulse-client';
import { QUICK_PULSE_INVARIANT_VERSION } from '../live-metrics/protocol/quick-pulse-contracts';
import { resolveLiveEndpoint } from '../live-metrics/protocol/resolve-live-endpoint';
import type { StepResult } from './doctor-types';

/** What the live-metrics step pings with. */
export interface LiveMetricsCheck {
  readonly connectionString: ConnectionString;
  /** Bearer tokens (the ingestion scope's: Live Metrics takes the same); without them, none is sent. */
  readonly tokens?: TokenProvider;
  readonly scope: string;
  readonly timeoutMillis: number;
}

const PUBLISHER_FIX = 'assign the Monitoring Metrics Publisher role to this identity on the Application Insights resource (Access control (IAM)), then allow up to a few minutes for it to take effect';

/**
 * Sends ONE Live Metrics ping (the distro's QuickPulse client, on core's authenticated request: the same
 * headers, token handling, 401 retry and failure messages as the running distro) and explains the answer: reachable (and whether someone
 * watches), 400 authentication not supported, 401 token rejected, 403 missing role, or unreachable.
 */
export async function checkLiveMetrics(check: LiveMetricsCheck): Promise<StepResult> {
  const endpoint = resolveLiveEndpoint(check.connectionString);
  const client = createQuickPulseClient({
    instrumentationKey: check.connectionString.instrumentationKey,
    requestTimeoutMillis: check.timeoutMillis,
    diagnostics: { report: () => undefined }, // the step result is the report
    ...(check.tokens !== undefined ? { tokenProvider: check.tokens } : {}),
  });
  const host = hostname();
  const result = await client.ping(endpoint, {
    Version: 'appinsights-otel-doctor', InvariantVersion: QUICK_PULSE_INVARIANT_VERSION, Instance: host, RoleName: 'appinsights-otel-doctor',
    MachineName: host, StreamId: 'doctor', Timestamp: new Date().toISOString(), IsWebApp: false, PerformanceCollectionSupported: false,
  }).finally(() => client.shutdown());
  if (result.status === 'ok') {
    return {
      step: 'live-metrics', status: 'ok',
      summary: `${endpoint} answered the Live Metrics ping (${result.subscribed ? 'someone is watching Live Metrics now' : 'nobody is watching Live Metrics now'})`,
    };
  }
  const { error } = result;
  const status = error instanceof AuthError ? error.statusCode : undefined;
  const fix = status === 403 ? PUBLISHER_FIX
    : status === 401 ? `the token was requested for ${check.scope}; it must match the resource's cloud and come from the tenant that owns the resource`
      : status === 400 ? 'pass { credential } to useAzureMonitor(), or set APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD (system-assigned managed identity)'
        : 'check LiveEndpoint in the connection string, DNS, firewalls and HTTPS_PROXY; Live Metrics is optional (enableLiveMetrics: false turns it off)';
  return { step: 'live-metrics', status: 'fail', summary: `${status !== undefined ? `${status} from ` : ''}${endpoint}: ${error.message}`, fix };
}
