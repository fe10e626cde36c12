import { join } from 'node:path';
import { diag } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { createDeliveryStats, readPackageVersion, type DeliveryStats, type SignalExporterOptions } from '@appinsights-otel/core';
import type { DistroSettings } from '../config/settings-table';
import { computeTypeOf } from '../resource/compute-type';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/**
 * SDK Stats when `enableDeliveryStats` is on: sent with the exporters' options (same resource,
 * credential and store), tagged with the telemetry's resource. Never throws: a refused
 * configuration is one warning and no statistics (the exporters report the same problem).
 */
export function buildDeliveryStats(
  settings: Pick<DistroSettings, 'enableDeliveryStats' | 'deliveryStatsIntervalMillis' | 'platformVariables'>,
  exporterOptions: SignalExporterOptions,
  resource: Resource,
): DeliveryStats | undefined {
  if (!settings.enableDeliveryStats) return undefined;
  try {
    return createDeliveryStats({
      ...exporterOptions,
      intervalMillis: settings.deliveryStatsIntervalMillis,
      resource,
      computeType: computeTypeOf(settings.platformVariables),
      version: readPackageVersion(join(__dirname, '..', '..'), '0.0.0'),
    });
  } catch (error: unknown) {
    log.warn(`delivery statistics are off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
