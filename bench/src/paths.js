'use strict';
/** Where things are, computed at runtime (the bench may be started from any directory). */
const path = require('node:path');

const BENCH_ROOT = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(BENCH_ROOT, '..');
const NETWORK_GUARD = path.join(REPO_ROOT, 'scripts', 'network-guard.cjs');
const HOST_ALIAS_PRELOAD = path.join(__dirname, 'preload', 'host-alias.cjs');
const RESULTS_DIR = path.join(BENCH_ROOT, 'results');

/** The Azure-looking name the official exporter's gzip client accepts, answered as 127.0.0.1. */
const GZIP_HOST_ALIAS = 'bench-loopback.in.applicationinsights.azure.com';

module.exports = { BENCH_ROOT, REPO_ROOT, NETWORK_GUARD, HOST_ALIAS_PRELOAD, RESULTS_DIR, GZIP_HOST_ALIAS };
