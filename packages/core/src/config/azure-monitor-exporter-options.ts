import type { TokenCredential } from '@azure/core-auth';
import type { RequestNameSource } from '../mapping/common/envelope/mapping-context';

/**
 * Options every Azure Monitor exporter takes as its constructor argument. Explicit options win over
 * environment variables, which win over defaults (see `resolveConfig`).
 */
export interface AzureMonitorExporterOptions {
  /**
   * The Application Insights connection string. Default: `APPLICATIONINSIGHTS_CONNECTION_STRING`.
   * A blank string counts as not given.
   */
  connectionString?: string;
  /**
   * Microsoft Entra ID credential (any `TokenCredential`, e.g. from `@azure/identity`). With one,
   * telemetry goes to `v2.1/track` with a bearer token. Default: the managed identity selected by
   * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`, else none (instrumentation-key ingestion).
   */
  credential?: TokenCredential;
  /**
   * Entra ID audience or scope for ingestion tokens, e.g. `https://monitor.azure.com` or
   * `https://monitor.azure.com/.default`. Default: the connection string's `AADAudience`, else the
   * ingestion endpoint's cloud (`https://monitor.azure.com/.default` for the public cloud).
   */
  audience?: string;
  /** Same as `audience` (either spelling is accepted; if both are given they must agree). */
  scope?: string;
  /**
   * Directory for the offline queue. Default:
   * `<os.tmpdir()>/appinsights-otel/<sha256(instrumentationKey + ingestionEndpoint)>`.
   */
  storageDirectory?: string;
  /** `true`: never touch the file system; queue in bounded memory instead. Default `false`. */
  disableOfflineStorage?: boolean;
  /** Largest size of the offline queue in bytes. Default 50 MB (52 428 800). */
  storageMaxBytes?: number;
  /** Oldest age of a queued request before it is discarded. Default 48 h. */
  storageMaxAgeMillis?: number;
  /** Upper bound for one export (one attempt; what fails is queued and retried in the background). Default 30 s. */
  exportTimeoutMillis?: number;
  /** Upper bound for one HTTP request. Default 30 s. */
  requestTimeoutMillis?: number;
  /** Gzip request bodies. Default `true`. */
  gzip?: boolean;
  /**
   * Name of HTTP requests that have no `http.route`: `'path'` (default) gives `METHOD /path`, exact
   * but one name per id in the path; `'spanName'` uses the span name (e.g. `GET`), low cardinality.
   * Only the trace exporter uses it.
   */
  requestNameSource?: RequestNameSource;
  /**
   * Write-ahead: write each batch to the offline store before its first send and delete it after
   * ingestion accepts it, so a `kill -9` in the middle of an export loses nothing. Costs one file
   * write and one delete per request. Default `false` (a batch is written only once a send fails).
   */
  persistBeforeSend?: boolean;
}
