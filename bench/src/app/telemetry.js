'use strict';
/**
 * Starts the telemetry a variant asks for, in the app process, BEFORE the app loads express, pg,
 * winston or http (so the instrumentations can patch them). Both distros get the same connection
 * string (ingestion and Live Metrics at the parent's TLS front to the emulator, loopback only) and the
 * same credential: a fixed token the parent minted with the emulator, so no identity call is made.
 *
 * Phone-home paths of the official distro, all off: statsbeat and SDK stats by the environment
 * variables below (the parent sets them; we refuse to start without them), and its Azure VM resource
 * detector, which always asks the instance metadata service (169.254.169.254): replaced by an empty
 * detector before the distro loads. The network guard (preloaded) reports anything else.
 *
 * @typedef {{ distro: 'none' | 'official' | 'ours', options?: Record<string, unknown> }} TelemetrySpec
 */
const OFFICIAL_ENV = ['APPLICATION_INSIGHTS_NO_STATSBEAT', 'APPLICATIONINSIGHTS_STATSBEAT_DISABLED', 'APPLICATIONINSIGHTS_SDKSTATS_DISABLED'];

function fixedTokenCredential(token) {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' }) };
}

function startOfficial(connectionString, credential, options) {
  for (const name of OFFICIAL_ENV) if (process.env[name] !== 'true') throw new Error(`${name}=true must be set`);
  const detectors = require('@opentelemetry/resource-detector-azure');
  detectors.azureVmDetector.detect = () => ({ attributes: {} });
  const official = require('@azure/monitor-opentelemetry');
  official.useAzureMonitor({ ...options, azureMonitorExporterOptions: { connectionString, credential, disableOfflineStorage: true } });
  return () => official.shutdownAzureMonitor();
}

function startOurs(connectionString, credential, options) {
  const ours = require('@appinsights-otel/distro');
  ours.useAzureMonitor({ ...options, connectionString, credential, disableOfflineStorage: true });
  return () => ours.shutdownAzureMonitor();
}

/**
 * @param {TelemetrySpec} spec
 * @returns {() => Promise<void>} flushes and stops the telemetry (a no-op for `none`)
 */
function startTelemetry(spec) {
  if (spec.distro === 'none') return async () => {};
  const connectionString = process.env.BENCH_APP_CONNECTION_STRING ?? '';
  if (!/Endpoint=https:\/\/127\.0\.0\.1:\d+\/;LiveEndpoint=https:\/\/127\.0\.0\.1:\d+\/$/.test(connectionString)) {
    throw new Error('BENCH_APP_CONNECTION_STRING must point ingestion and Live Metrics at 127.0.0.1');
  }
  const credential = fixedTokenCredential(process.env.BENCH_APP_TOKEN ?? '');
  const start = spec.distro === 'official' ? startOfficial : startOurs;
  return start(connectionString, credential, spec.options ?? {});
}

module.exports = { startTelemetry };
