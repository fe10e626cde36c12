import type { QuickPulseIdentity } from './create-quick-pulse-client';
import { QUICK_PULSE_INVARIANT_VERSION, type MonitoringDataPoint } from './quick-pulse-contracts';
import type { LiveMetricsSample } from './create-live-metrics-session';

/**
 * The `MonitoringDataPoint` a ping (no sample) or a post (the interval's sample) carries: the
 * process's identity, the time, and for a post its metrics, documents and configuration errors.
 */
export function toMonitoringDataPoint(identity: QuickPulseIdentity, timestampMillis: number, sample?: LiveMetricsSample): MonitoringDataPoint {
  return {
    Version: identity.version,
    InvariantVersion: QUICK_PULSE_INVARIANT_VERSION,
    Instance: identity.instance,
    RoleName: identity.roleName,
    MachineName: identity.machineName,
    StreamId: identity.streamId,
    Timestamp: new Date(timestampMillis).toISOString(),
    IsWebApp: false,
    PerformanceCollectionSupported: true,
    ...(sample ? { Metrics: sample.metrics, Documents: sample.documents, CollectionConfigurationErrors: sample.errors ?? [] } : {}),
  };
}
