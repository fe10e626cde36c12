/**
 * `node --import @appinsights-otel/distro/register app.mjs` (ES modules) or
 * `node --require @appinsights-otel/distro/register app.js` (CommonJS): sets up Azure Monitor
 * OpenTelemetry from the environment before the application loads, and flushes on exit.
 *
 * Reads `APPLICATIONINSIGHTS_CONNECTION_STRING`, `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (managed
 * identity), the configuration file (`APPLICATIONINSIGHTS_CONFIGURATION_FILE` /
 * `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_TRACES_SAMPLER(_ARG)` and `OTEL_METRIC_EXPORT_INTERVAL`.
 */
import { shutdownAzureMonitor, useAzureMonitor } from './use-azure-monitor';
import { installProcessHooks } from './install-process-hooks';

useAzureMonitor();
installProcessHooks(); // flush on SIGTERM/SIGINT and record crashes, without changing how the process ends

let flushed = false;
process.once('beforeExit', () => {
  if (flushed) return;
  flushed = true;
  void shutdownAzureMonitor();
});
