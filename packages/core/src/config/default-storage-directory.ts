import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The default offline-storage directory for an (instrumentation key, ingestion endpoint) pair:
 * `<os.tmpdir()>/appinsights-otel/<sha256(ikey + endpoint) as hex>`. Processes sending to the same
 * resource share it; the key itself never appears in the path. Because the path is predictable and
 * lies under a shared directory, the store creates it 0700 and refuses it unless it is private to
 * this user (`requirePrivate` in the storage configuration; see `verifyPrivateDirectory`).
 *
 * @param instrumentationKey - Lower-case instrumentation key.
 * @param ingestionEndpoint - Normalised ingestion endpoint.
 */
export function defaultStorageDirectory(instrumentationKey: string, ingestionEndpoint: string): string {
  const digest = createHash('sha256').update(instrumentationKey + ingestionEndpoint).digest('hex');
  return join(tmpdir(), 'appinsights-otel', digest);
}
