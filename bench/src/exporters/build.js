'use strict';
/**
 * One place that builds the exporter of a bench variant, for every child process:
 *
 * - `official-plain` / `official-gzip`: the official exporter (see official.js);
 * - `ours`: our exporter, gzip on, offline storage off (see ours.js);
 * - `ours-persist`: ours with `persistBeforeSend: true` and offline storage in a private temp
 *   directory (removed at cleanup). The option is added on another branch; until the built
 *   `@appinsights-otel/core` knows it, this variant reports "not available" instead of
 *   measuring `ours` a second time under another name.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const EXIT_NOT_AVAILABLE = 78;
const PERSIST_OPTION = 'persistBeforeSend';

/**
 * Whether the core our exporter loads resolves `persistBeforeSend` (a key of its config defaults
 * or of a resolved config).
 */
function persistOptionSupported(connectionString) {
  let core;
  try { core = require('./ours').requireOurCore(); } catch { return false; }
  const hasKey = (value, depth) => {
    if (value === null || typeof value !== 'object' || depth > 3) return false;
    return Object.keys(value).some((k) => k === PERSIST_OPTION || hasKey(value[k], depth + 1));
  };
  if (hasKey(core.CONFIG_DEFAULTS, 0)) return true;
  try {
    return hasKey(core.resolveConfig({ connectionString, [PERSIST_OPTION]: true, storageDirectory: os.tmpdir() }), 0);
  } catch {
    return false;
  }
}

/**
 * @param {string} variant
 * @param {{ connectionString: string, credential: object }} options
 * @returns {{ exporter?: object, describe?: string, cleanup?: () => Promise<void>, notAvailable?: string }}
 */
function buildExporter(variant, { connectionString, credential }) {
  if (variant === 'official-plain' || variant === 'official-gzip') {
    try {
      return require('./official').createOfficialExporter({ connectionString, credential });
    } catch (error) {
      if (/is not installed/.test(String(error?.message))) return { notAvailable: error.message };
      throw error;
    }
  }
  if (variant !== 'ours' && variant !== 'ours-persist') throw new Error(`unknown BENCH_VARIANT ${variant}`);
  const { createOurExporter, NotAvailableError } = require('./ours');
  let extra = {};
  let storageDirectory;
  if (variant === 'ours-persist') {
    if (!persistOptionSupported(connectionString)) return { notAvailable: `the built @appinsights-otel/core has no ${PERSIST_OPTION} option yet` };
    storageDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'appinsights-otel-bench-persist-'));
    extra = { [PERSIST_OPTION]: true, disableOfflineStorage: false, storageDirectory };
  }
  try {
    const built = createOurExporter({ connectionString, credential, extra });
    if (!storageDirectory) return built;
    return {
      ...built,
      describe: `${built.describe} with ${PERSIST_OPTION}: true (storage in a temp dir)`,
      async cleanup() { await built.cleanup(); fs.rmSync(storageDirectory, { recursive: true, force: true }); },
    };
  } catch (error) {
    if (error instanceof NotAvailableError) return { notAvailable: error.message };
    throw error;
  }
}

module.exports = { buildExporter, persistOptionSupported, EXIT_NOT_AVAILABLE };
