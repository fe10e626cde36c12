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
const fs = require('node:fs');
const path = require('node:path');

const OFFICIAL_PACKAGE = '@azure/monitor-opentelemetry-exporter';

/**
 * Where the official exporter is installed: bench/official (what `npm run setup` installs, the
 * version this bench names), else the directories in BENCH_OFFICIAL_PATHS (path-delimited: a
 * directory holding `node_modules/@azure/monitor-opentelemetry-exporter`), else normal resolution
 * (which also finds the older copy the test/official workspace hoists to the root node_modules).
 * @returns {string | undefined} the package directory, or undefined when it is not installed
 */
function officialPackageDir() {
  const setupCopy = path.join(__dirname, '..', '..', 'official', 'node_modules', OFFICIAL_PACKAGE);
  if (fs.existsSync(path.join(setupCopy, 'package.json'))) return setupCopy;
  const extra = (process.env.BENCH_OFFICIAL_PATHS ?? '').split(path.delimiter).filter(Boolean);
  for (const paths of [...extra.map((p) => [path.resolve(p)]), undefined]) {
    try {
      return path.dirname(require.resolve(`${OFFICIAL_PACKAGE}/package.json`, paths ? { paths } : undefined));
    } catch { /* try the next place */ }
  }
  return undefined;
}

/** Requires the official package (or a file inside it); throws a clear error when it is not installed. */
function requireOfficial(subpath = '') {
  const dir = officialPackageDir();
  if (dir === undefined) throw new Error(`${OFFICIAL_PACKAGE} is not installed (npm ci in bench/, or set BENCH_OFFICIAL_PATHS)`);
  return require(subpath ? path.join(dir, subpath) : dir);
}

const REQUIRED_ENV = {
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
  APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
  APPLICATIONINSIGHTS_OPENTELEMETRY_RESOURCE_METRIC_DISABLED: 'true',
};

function configurationManagerModule() {
  // Not exported by the package's "exports" map (its ./_configuration entry only exposes
  // _registerFeatureCallback), so load the same CommonJS file its base exporter requires.
  return requireOfficial(path.join('dist', 'commonjs', '_configuration', 'configurationManager.js'));
}

/**
 * @param {{ connectionString: string, credential: object }} options
 */
function createOfficialExporter({ connectionString, credential }) {
  for (const [name, value] of Object.entries(REQUIRED_ENV)) {
    if (process.env[name] !== value) throw new Error(`official exporter: ${name}=${value} must be set before it loads`);
  }
  const { AzureMonitorTraceExporter } = requireOfficial();
  const { ConfigurationManager } = configurationManagerModule();
  const exporter = new AzureMonitorTraceExporter({ connectionString, credential, disableOfflineStorage: true });
  const manager = ConfigurationManager.getInstance();
  manager.shutdown();
  if (manager.worker !== undefined) throw new Error('official exporter: OneSettings poller still running');
  return {
    exporter,
    /** The official export() calls its callback twice per batch (result, then SUCCESS); the harness keeps the first. */
    describe: `official ${OFFICIAL_PACKAGE}@${requireOfficial('package.json').version}`,
    async cleanup() { manager.shutdown(); },
  };
}

module.exports = { createOfficialExporter, officialPackageDir, REQUIRED_ENV };
