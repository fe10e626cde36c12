import type { ExportTarget } from '../config/resolve-export-target';
import type { DistroSettings } from '../config/settings-table';

/**
 * Origins whose outgoing requests are the exporter's own (never traced): ingestion and Live
 * Metrics, the managed identity endpoints, the Entra authority host, and the public authority.
 */
export function ownOrigins(target: ExportTarget, settings: Pick<DistroSettings, 'managedIdentityEndpoints' | 'authorityHost'>): string[] {
  const origins: string[] = [];
  if (target.exportEnabled) {
    origins.push(target.parsed.ingestionEndpoint);
    if (target.parsed.liveEndpoint !== undefined) origins.push(target.parsed.liveEndpoint);
  }
  origins.push(...settings.managedIdentityEndpoints);
  if (settings.authorityHost !== undefined) origins.push(settings.authorityHost);
  origins.push('https://login.microsoftonline.com');
  return origins;
}
