import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The default offline-storage directory for an (instrumentation key, ingestion endpoint) pair:
 * `<os.tmpdir()>/appinsights-otel-<uid>/<sha256(ikey + endpoint) as hex>` (`appinsights-otel` where
 * the platform has no user ids). Processes of one user sending to the same resource share it; the
 * key itself never appears in the path; each user gets a folder of their own, so a second user on a
 * shared machine keeps durable storage instead of meeting the first user's private folder. Because
 * the path is predictable and lies under a shared directory, the store creates it 0700 and refuses
 * it unless it is private to this user (`requirePrivate` in the storage configuration; see
 * `verifyPrivateDirectory`).
 *
 * @param instrumentationKey - Lower-case instrumentation key.
 * @param ingestionEndpoint - Normalised ingestion endpoint.
 * @param uid - The user id (default `process.getuid()`; `null` where the platform has none).
 */
export function defaultStorageDirectory(
  instrumentationKey: string, ingestionEndpoint: string, uid: number | null = process.getuid?.() ?? null,
): string {
  const digest = createHash('sha256').update(instrumentationKey + ingestionEndpoint).digest('hex');
  return join(tmpdir(), uid === null ? 'appinsights-otel' : `appinsights-otel-${uid}`, digest);
}
