import { createHash, randomUUID } from 'node:crypto';
import type { LiveCollectionConfiguration, LiveDataPoint } from './live-metrics-types';
import { validateAgainstLiveMetricsSpec } from './validate-against-live-metrics-spec';

/** The configuration served until a test sets one: no derived metrics, no document streams. */
export const EMPTY_CONFIGURATION: LiveCollectionConfiguration = Object.freeze({ ETag: '', Metrics: [], DocumentStreams: [], QuotaInfo: null });
export const QUICK_PULSE_API = 'spec (2024-04-01-preview)';

/** The spec's `ServiceError` body. */
export function serviceError(code: string, message: string): Record<string, string> {
  return { RequestId: randomUUID(), ResponseDateTime: new Date().toISOString(), Code: code, Message: message, Exception: '' };
}

/** A stable ETag for a configuration's content. */
export function etagOf(configuration: LiveCollectionConfiguration): string {
  return `"${createHash('sha256').update(JSON.stringify({ ...configuration, ETag: undefined })).digest('base64url').slice(0, 16)}"`;
}

/**
 * A ping's body (one `MonitoringDataPoint`, or none: the spec makes it optional) or a post's (an
 * array of them), checked against the spec.
 */
export function parseQuickPulseBody(operation: 'ping' | 'post', text: string | undefined): { ok: true; points: LiveDataPoint[] } | { ok: false; problems: string[] } {
  if (text === undefined) return { ok: false, problems: ['the body is larger than 1 MB'] };
  if (text.trim() === '') return { ok: true, points: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problems: [`$ is not JSON: send ${operation === 'ping' ? 'a MonitoringDataPoint' : 'an array of MonitoringDataPoint'}`] };
  }
  if (operation === 'post' && !Array.isArray(parsed)) return { ok: false, problems: ['$ must be an array of MonitoringDataPoint (a post sends [point])'] };
  const points = operation === 'post' ? (parsed as unknown[]) : [parsed];
  const problems = points.flatMap((point, i) => validateAgainstLiveMetricsSpec(point, 'MonitoringDataPoint', operation === 'post' ? `$[${i}]` : '$'));
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, 10) } : { ok: true, points: points as LiveDataPoint[] };
}
