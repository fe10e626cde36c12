import { diag } from '@opentelemetry/api';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { MappingContextOptions, OperationNameLookup, SignalExporterOptions } from '@appinsights-otel/core';
import { AzureMonitorTraceExporter } from '@appinsights-otel/exporter-trace';
import { AzureMonitorMetricExporter } from '@appinsights-otel/exporter-metric';
import { AzureMonitorLogExporter } from '@appinsights-otel/exporter-logs';
import type { ExportTarget } from '../config/resolve-export-target';
import type { DistroSettings } from '../config/settings-table';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** The distro's name in the `User-Agent` of every request. */
const USER_AGENT_PREFIX = 'appinsights-otel-distro';

/** How spans become Application Insights items: the trace exporter and the Live Metrics tap share one. */
export type MappingOptions = Pick<MappingContextOptions, 'successOverride' | 'requestNameSource' | 'operationNameOf'>;

/** The exporters of the signals that are exported (all three are created, or none). */
export interface Exporters {
  readonly trace?: SpanExporter;
  readonly metric?: PushMetricExporter;
  readonly logs?: LogRecordExporter;
}

type EnabledTarget = Extract<ExportTarget, { exportEnabled: true }>;

/** The mapping options of the settings, built once. */
export function mappingOptionsOf(settings: Pick<DistroSettings, 'successOverride' | 'requestNameSource'>, operationNameOf?: OperationNameLookup): MappingOptions {
  return Object.freeze({
    ...(operationNameOf !== undefined ? { operationNameOf } : {}),
    ...(settings.successOverride !== undefined ? { successOverride: settings.successOverride } : {}),
    ...(settings.requestNameSource !== undefined ? { requestNameSource: settings.requestNameSource } : {}),
  });
}

/** What the three exporters share: where to send, with which credential, and how to queue. */
export function exporterOptionsOf(
  settings: Pick<DistroSettings, 'audience' | 'storageDirectory' | 'disableOfflineStorage' | 'beforeExport' | 'persistBeforeSend'>,
  target: EnabledTarget,
): SignalExporterOptions & { readonly userAgentPrefix: string } {
  return {
    connectionString: target.connectionString,
    ...(target.credential !== undefined ? { credential: target.credential } : {}),
    ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    ...(settings.storageDirectory !== undefined ? { storageDirectory: settings.storageDirectory } : {}),
    ...(settings.disableOfflineStorage !== undefined ? { disableOfflineStorage: settings.disableOfflineStorage } : {}),
    ...(settings.beforeExport !== undefined ? { beforeExport: settings.beforeExport } : {}),
    ...(settings.persistBeforeSend !== undefined ? { persistBeforeSend: settings.persistBeforeSend } : {}),
    userAgentPrefix: USER_AGENT_PREFIX,
  };
}

/** Which signals go to Application Insights. */
export interface SignalExports {
  readonly traces: boolean;
  readonly metrics: boolean;
  readonly logs: boolean;
}

/** The per-signal off switches of the settings, as "exported" flags. */
export function signalExportsOf(settings: Pick<DistroSettings, 'disableTraceExport' | 'disableMetricExport' | 'disableLogExport'>): SignalExports {
  return { traces: !settings.disableTraceExport, metrics: !settings.disableMetricExport, logs: !settings.disableLogExport };
}

/**
 * The exporters of the exported signals, the trace exporter with the shared mapping options.
 * Never throws: when a constructor refuses its options, export is off (one error) and none is returned.
 */
export function createExporters(options: SignalExporterOptions, mapping: MappingOptions, signals: SignalExports): Exporters | undefined {
  try {
    return {
      ...(signals.traces ? { trace: new AzureMonitorTraceExporter({ ...options, ...mapping }) } : {}),
      ...(signals.metrics ? { metric: new AzureMonitorMetricExporter(options) } : {}),
      ...(signals.logs ? { logs: new AzureMonitorLogExporter(mapping.operationNameOf ? { ...options, operationNameOf: mapping.operationNameOf } : options) } : {}),
    };
  } catch (error: unknown) {
    log.error(`Application Insights export is off: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
