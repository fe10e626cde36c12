import type { Resource } from '@opentelemetry/resources';
import type { Envelope } from '../../contracts/envelope';
import { createEnvelope } from '../../mapping/common/envelope/create-envelope';
import type { MappingContext } from '../../mapping/common/envelope/mapping-context';
import { SDK_STATS_METRIC } from './sdk-stats-names';
import type { StatsRow } from './stats-counter';

/** The dimensions every SDK Stats row carries (the official SDKs' `computeType`, `language`, `version`). */
export interface SdkStatsCommon {
  /** `aks`, `appsvc`, `functions`, `vm` or `unknown`. */
  readonly computeType: string;
  /** Always `node` for this SDK. */
  readonly language: string;
  /** This SDK's version. */
  readonly version: string;
}

/** The `customDimensions` of one row. */
export function rowProperties(row: StatsRow, common: SdkStatsCommon): Record<string, string> {
  const properties: Record<string, string> = {
    computeType: common.computeType, language: common.language, version: common.version, telemetry_type: row.telemetryType,
  };
  const prefix = row.metric === 'dropped' ? 'drop' : 'retry';
  if (row.code !== undefined) properties[`${prefix}.code`] = row.code;
  if (row.reason !== undefined) properties[`${prefix}.reason`] = row.reason;
  if (row.telemetrySuccess !== undefined) properties['telemetry_success'] = String(row.telemetrySuccess);
  return properties;
}

/**
 * SDK Stats rows as `customMetrics` envelopes: one metric item per row, named as the workbook reads
 * them, value = the count, with the resource's tags (cloud role and instance) and the SDK version.
 */
export function statsToEnvelopes(rows: readonly StatsRow[], ctx: MappingContext, resource: Resource, common: SdkStatsCommon, time: string): Envelope[] {
  return rows.map((row) => createEnvelope(ctx, resource, {
    time,
    tags: {},
    data: { baseType: 'MetricData', baseData: { ver: 2, metrics: [{ name: SDK_STATS_METRIC[row.metric], value: row.count }], properties: rowProperties(row, common) } },
  }));
}
