'use strict';
/**
 * Builds our AzureMonitorTraceExporter (@appinsights-otel/exporter-trace, consumed from its built
 * dist through the workspace package) with the API the lead specified:
 * new AzureMonitorTraceExporter({ connectionString, credential, disableOfflineStorage: true }).
 */
class NotAvailableError extends Error {
  constructor(message) { super(message); this.name = 'NotAvailableError'; }
}

/** BENCH_OURS_MODULE (a path) swaps in another build of the exporter, e.g. to test the harness. */
const MODULE_ID = process.env.BENCH_OURS_MODULE || '@appinsights-otel/exporter-trace';

/** `extra`: more exporter options (the persist variant's). */
function createOurExporter({ connectionString, credential, extra = {} }) {
  let mod;
  try {
    mod = require(MODULE_ID);
  } catch (error) {
    throw new NotAvailableError(`@appinsights-otel/exporter-trace could not be loaded (run npm run build): ${error?.message ?? error}`);
  }
  if (typeof mod.AzureMonitorTraceExporter !== 'function') {
    throw new NotAvailableError('@appinsights-otel/exporter-trace does not export AzureMonitorTraceExporter yet');
  }
  const exporter = new mod.AzureMonitorTraceExporter({ connectionString, credential, disableOfflineStorage: true, ...extra });
  return {
    exporter,
    describe: process.env.BENCH_OURS_MODULE
      ? `ours from BENCH_OURS_MODULE=${MODULE_ID}`
      : 'ours @appinsights-otel/exporter-trace@' + require('@appinsights-otel/exporter-trace/package.json').version,
    async cleanup() {},
  };
}

/** The @appinsights-otel/core that the loaded exporter uses (resolved from the exporter's own directory). */
function requireOurCore() {
  const exporterFile = require.resolve(MODULE_ID);
  return require(require.resolve('@appinsights-otel/core', { paths: [require('node:path').dirname(exporterFile)] }));
}

module.exports = { createOurExporter, requireOurCore, NotAvailableError };
