'use strict';
/**
 * Which copy of Microsoft's official distro (`@azure/monitor-opentelemetry`) the app bench runs, and
 * how to load it with its phone-home paths off.
 *
 * By default the copy `npm run setup` installs into bench/official (OFFICIAL_DISTRO_VERSION, whose
 * exporter gzips its requests to Azure ingestion hosts, as in production). BENCH_APP_OFFICIAL=workspace
 * runs the copy the test/official workspace pins instead (1.18.1 with exporter 1.0.0-beta.42, which
 * never gzips), to compare with runs made before the switch.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const PACKAGE = '@azure/monitor-opentelemetry';
/** Keep in step with bench/package.json's setup script. */
const OFFICIAL_DISTRO_VERSION = '1.21.0';
const SETUP_COPY = path.join(__dirname, '..', '..', 'official', 'node_modules', PACKAGE);

/**
 * @param {string | undefined} choice - BENCH_APP_OFFICIAL: undefined or 'setup' (bench/official), or 'workspace'
 * @returns {string} the package directory of the official distro to run
 */
function officialDistroDir(choice = process.env.BENCH_APP_OFFICIAL) {
  if (choice === 'workspace') return path.dirname(require.resolve(`${PACKAGE}/package.json`));
  if (choice !== undefined && choice !== 'setup') throw new Error(`BENCH_APP_OFFICIAL must be setup or workspace, not ${choice}`);
  if (!fs.existsSync(path.join(SETUP_COPY, 'package.json'))) {
    throw new Error(`${PACKAGE} is not installed in bench/official: run npm run bench:setup (or BENCH_APP_OFFICIAL=workspace)`);
  }
  return SETUP_COPY;
}

/** `require` as the official distro resolves it (its own copies of the exporter, detectors, SDK). */
function officialRequire(dir = officialDistroDir()) {
  return createRequire(path.join(dir, 'package.json'));
}

/** Name and version of the official distro and of the exporter it loads, e.g. for the report header. */
function describeOfficial(dir = officialDistroDir()) {
  const fromDistro = officialRequire(dir);
  const exporterDir = path.resolve(path.dirname(fromDistro.resolve('@azure/monitor-opentelemetry-exporter')), '..', '..');
  const version = (d) => JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version;
  return `${PACKAGE} ${version(dir)} with its exporter ${version(exporterDir)}`;
}

/**
 * Stops the exporter's OneSettings poller (https://settings.sdk.monitor.azure.com, first poll 5-15 s
 * after the first exporter is built), in exporters that have one (1.0.0-beta.47 does, beta.42 not).
 * Its ConfigurationManager is not in the package's exports map: load the file its exporters load.
 */
function stopOneSettings(fromDistro) {
  const exporterEntry = fromDistro.resolve('@azure/monitor-opentelemetry-exporter'); // .../dist/commonjs/index.js
  const file = path.join(path.dirname(exporterEntry), '_configuration', 'configurationManager.js');
  if (!fs.existsSync(file)) return;
  const manager = require(file).ConfigurationManager.getInstance();
  manager.shutdown();
  if (manager.worker !== undefined) throw new Error('official distro: OneSettings poller still running');
}

module.exports = { officialDistroDir, officialRequire, describeOfficial, stopOneSettings, OFFICIAL_DISTRO_VERSION };
