import type { TokenCredential } from '@azure/core-auth';
import type { ManagedIdentityDescriptor } from '../auth/parse-authentication-string';
import type { RequestNameSource } from '../mapping/common/envelope/mapping-context';

/** A parsed, validated connection string (DESIGN.md section 3). */
export interface ConnectionString {
  /** Lower-case GUID. */
  readonly instrumentationKey: string;
  /** Normalised ingestion endpoint: origin (+ path if any), no trailing slash, https unless loopback. */
  readonly ingestionEndpoint: string;
  readonly liveEndpoint?: string;
  /** The `AADAudience` value as given (normalised by scope derivation). */
  readonly aadAudience?: string;
  readonly applicationId?: string;
  /** `Authorization` key, e.g. `AAD` (informational; a credential must still be supplied). */
  readonly authorization?: string;
}

/** Offline storage settings (DESIGN.md section 6). */
export interface StorageConfig {
  /** `true`: no file-system calls at all; a bounded memory queue instead. */
  readonly disabled: boolean;
  /** Directory for this (ikey, endpoint): `<tmp>/appinsights-otel/<sha256(ikey+endpoint)>`. */
  readonly directory: string;
  /**
   * `true` for the default directory under the shared temporary directory: it is created 0700 and
   * refused (memory queue instead) unless this user owns it and it is not group/world-writable.
   */
  readonly requirePrivate?: boolean;
  readonly maxBytes: number;
  readonly maxAgeMillis: number;
}

/** Everything an exporter needs, resolved from options > environment > defaults, frozen. */
export interface ResolvedConfig {
  readonly connectionString: ConnectionString;
  readonly instrumentationKey: string;
  readonly ingestionEndpoint: string;
  /** Entra credential; when absent, telemetry goes to `v2/track` without a token. */
  readonly credential?: TokenCredential;
  /** Where `credential` came from: the `credential` option or `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`. */
  readonly credentialSource?: 'option' | 'authentication-string';
  /** The managed identity selected by `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (for diagnostics). */
  readonly managedIdentity?: ManagedIdentityDescriptor;
  /** Token scope, always `<origin>/.default`. */
  readonly scope: string;
  readonly storage: StorageConfig;
  /** Upper bound for one export, one attempt (default 30 s). */
  readonly exportTimeoutMillis: number;
  /** Upper bound for one HTTP request (default 30 s). */
  readonly requestTimeoutMillis: number;
  /** Gzip request bodies (default true). */
  readonly gzip: boolean;
  /** Name of HTTP requests without `http.route`; absent means `path`. */
  readonly requestNameSource?: RequestNameSource;
  /** Write each batch to the store before its first send (default false; see `persistBeforeSend`). */
  readonly persistBeforeSend: boolean;
}
