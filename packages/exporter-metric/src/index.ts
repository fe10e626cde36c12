/** @appinsights-otel/exporter-metric: an OpenTelemetry PushMetricExporter for Azure Application Insights. */
export { AzureMonitorMetricExporter } from './azure-monitor-metric-exporter';
export type { AzureMonitorMetricExporterOptions } from './azure-monitor-metric-exporter';
