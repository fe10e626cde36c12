/**
 * @appinsights-otel/core: configuration, Microsoft Entra ID auth, the Application Insights envelope
 * model, OpenTelemetry -> envelope mapping, and the credential-aware transport.
 *
 * The public surface is the explicit list below (no `export *`). Each area keeps its own section.
 */

// --- errors ---
export {
  ExporterError, ConfigError, AuthError, CredentialUnavailableError, CredentialAuthenticationError,
  TransportError, PartialExportError, ShutdownError, StorageError,
} from './errors';
export type { ErrorCode } from './errors';

// --- config ---
export type { ConnectionString, StorageConfig, ResolvedConfig } from './config/resolved-config';

// --- auth ---
export type { TokenProvider, TokenRequestOptions } from './auth/token-provider-types';

// --- transport ---
export type { RequestBody, SendOutcome, Transport } from './transport/transport-types';

// --- delivery / export pipeline ---

// --- mapping ---
