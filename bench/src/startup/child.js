'use strict';
/**
 * One cold start: load @appinsights-otel/distro, call useAzureMonitor(), report both times over
 * IPC, then shut down. Started by startup/run.js with the network guard preloaded, either from here
 * (an app with every instrumented library installed: the repository's node_modules) or copied into an
 * empty directory (an app with none installed; BENCH_DISTRO then names the distro by path).
 */
const net = require('node:net');
const { performance } = require('node:perf_hooks');

// Count every connection attempt, loopback included: startup must make none at all.
const connectTargets = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function countedConnect(...args) {
  const o = args[0];
  connectTargets.push(o !== null && typeof o === 'object' ? `${o.host ?? o.path}:${o.port ?? ''}` : String(o));
  return originalConnect.apply(this, args);
};

const loadStart = performance.now();
const { useAzureMonitor, shutdownAzureMonitor } = require(process.env.BENCH_DISTRO ?? '@appinsights-otel/distro');
const loadMillis = performance.now() - loadStart;

const credential = process.env.BENCH_STARTUP_CREDENTIAL === 'option'
  ? { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) }
  : undefined; // otherwise APPLICATIONINSIGHTS_AUTHENTICATION_STRING selects a managed identity

const callStart = performance.now();
useAzureMonitor({ connectionString: process.env.BENCH_CONNECTION_STRING, disableOfflineStorage: true, ...(credential ? { credential } : {}) });
const callMillis = performance.now() - callStart;

// Let anything the call scheduled run (it must not reach the network: the guard would report it).
setTimeout(() => {
  const instrumentations = new Set(Object.keys(require.cache)
    .map((f) => /[\\/]node_modules[\\/](@opentelemetry[\\/]instrumentation-[^\\/]+|@fastify[\\/]otel)[\\/]/.exec(f)?.[1])
    .filter(Boolean)).size;
  process.send({ loadMillis, callMillis, connectTargets, instrumentations });
  shutdownAzureMonitor(2_000).then(() => process.disconnect(), () => process.disconnect());
}, 200);
