/** @appinsights-otel/exporter-logs: an OpenTelemetry LogRecordExporter for Azure Application Insights. */
export { AzureMonitorLogExporter } from './azure-monitor-log-exporter';
export type { AzureMonitorLogExporterOptions } from './azure-monitor-log-exporter';
