/** @appinsights-otel/exporter-trace: an OpenTelemetry SpanExporter for Azure Application Insights. */
export { AzureMonitorTraceExporter } from './azure-monitor-trace-exporter';
export type { AzureMonitorTraceExporterOptions } from './azure-monitor-trace-exporter';
