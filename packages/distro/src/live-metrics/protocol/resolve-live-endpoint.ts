import { isLoopbackHost, type ConnectionString } from '@appinsights-otel/core';
import { DEFAULT_LIVE_ENDPOINT } from './quick-pulse-contracts';

/**
 * The Live Metrics endpoint for a connection string: its `LiveEndpoint` (or the one derived from
 * `EndpointSuffix`); else, when the ingestion endpoint is a loopback host (a local emulator), that
 * same endpoint, so a local setup never reaches the public service; else
 * `https://global.livediagnostics.monitor.azure.com` (the spec's default, as the official client).
 */
export function resolveLiveEndpoint(connectionString: ConnectionString): string {
  if (connectionString.liveEndpoint !== undefined) return connectionString.liveEndpoint;
  let ingestionHost: string;
  try {
    ingestionHost = new URL(connectionString.ingestionEndpoint).hostname;
  } catch {
    return DEFAULT_LIVE_ENDPOINT;
  }
  return isLoopbackHost(ingestionHost) ? connectionString.ingestionEndpoint : DEFAULT_LIVE_ENDPOINT;
}
