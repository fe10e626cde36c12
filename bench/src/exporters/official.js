'use strict';
/**
 * Builds the official @azure/monitor-opentelemetry-exporter AzureMonitorTraceExporter for the
 * bench, with everything that would phone home switched off:
 *
 * - statsbeat / customer SDK stats: APPLICATION_INSIGHTS_NO_STATSBEAT (read by export/base.js; it
 *   turns off trackStatsbeat, which gates StatsbeatManager and CustomerSDKStatsManager),
 *   APPLICATIONINSIGHTS_STATSBEAT_DISABLED (networkStatsbeatMetrics.js),
 *   APPLICATIONINSIGHTS_SDKSTATS_DISABLED (baseSender.js, customerSDKStatsManager.js). The parent
 *   sets them in this process's environment; we refuse to run without them.
 * - the OneSettings poller (https://settings.sdk.monitor.azure.com): its constructor starts
 *   ConfigurationManager's worker (first poll after 5-15 s); we shut it down right after
 *   construction, and the whole run ends well within 5 s anyway.
 * - the per-batch "_OTELRESOURCE_" metric envelope: APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED,
 *   so both exporters send exactly the same items (spans + span events).
 * - offline storage: disableOfflineStorage: true (as for ours).
 */
const path = require('node:path');

const REQUIRED_ENV = {
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
  APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED: 'true',
};

function configurationManagerModule() {
  // Not exported by the package's "exports" map (its ./_configuration entry only exposes
  // _registerFeatureCallback), so load the same CommonJS file its base exporter requires.
  const pkgDir = path.dirname(require.resolve('@azure/monitor-opentelemetry-exporter/package.json'));
  return require(path.join(pkgDir, 'dist', 'commonjs', '_configuration', 'configurationManager.js'));
}

/**
 * @param {{ connectionString: string, credential: object }} options
 */
function createOfficialExporter({ connectionString, credential }) {
  for (const [name, value] of Object.entries(REQUIRED_ENV)) {
    if (process.env[name] !== value) throw new Error(`official exporter: ${name}=${value} must be set before it loads`);
  }
  const { AzureMonitorTraceExporter } = require('@azure/monitor-opentelemetry-exporter');
  const { ConfigurationManager } = configurationManagerModule();
  const exporter = new AzureMonitorTraceExporter({ connectionString, credential, disableOfflineStorage: true });
  const manager = ConfigurationManager.getInstance();
  manager.shutdown();
  if (manager.worker !== undefined) throw new Error('official exporter: OneSettings poller still running');
  return {
    exporter,
    /** The official export() calls its callback twice per batch (result, then SUCCESS); the harness keeps the first. */
    describe: 'official @azure/monitor-opentelemetry-exporter@' + require('@azure/monitor-opentelemetry-exporter/package.json').version,
    async cleanup() { manager.shutdown(); },
  };
}

module.exports = { createOfficialExporter, REQUIRED_ENV };
