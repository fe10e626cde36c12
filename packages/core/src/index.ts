/**
 * @appinsights-otel/core: configuration, Microsoft Entra ID auth, the Application Insights envelope
 * model, OpenTelemetry -> envelope mapping, and the credential-aware transport.
 *
 * The public surface is the explicit list below (no `export *`): what the exporter packages, the
 * distro, the query client and the benchmark use, the error classes, and the wire types a
 * `beforeExport` hook sees. Internals that this repository's tests of other packages need are
 * behind `@appinsights-otel/core/internal` (./internal.ts), which is not a public API.
 */

// --- errors ---
export {
  ExporterError, ConfigError, AuthError, CredentialUnavailableError, CredentialAuthenticationError,
  TransportError, PartialExportError, ShutdownError, StorageError,
} from './errors';
export type { ErrorCode } from './errors';
export { brandError } from './error-brand';

// --- config ---
export type { ConnectionString, StorageConfig, ResolvedConfig } from './config/resolved-config';
export type { AzureMonitorExporterOptions } from './config/azure-monitor-exporter-options';
export { parseConnectionString } from './config/parse-connection-string';
export { resolveConfig, CONFIG_DEFAULTS } from './config/resolve-config';
export { deriveScope, deriveQueryScope, cloudOfEndpoint } from './config/derive-scope';
export type { AzureCloud } from './config/derive-scope';
export { isLoopbackHost } from './config/is-loopback-host';
export { normalizeEndpoint } from './config/normalize-endpoint';
export { readPackageVersion } from './config/read-package-version';

// --- auth ---
export type { TokenProvider, TokenRequestOptions } from './auth/token-provider-types';
export { getSharedTokenProvider } from './auth/get-shared-token-provider';
export { createTokenProvider } from './auth/create-token-provider';
export { parseAuthenticationString } from './auth/parse-authentication-string';
export { sharedManagedIdentityCredential } from './auth/shared-managed-identity-credential';
export { createLazyCredential } from './auth/create-lazy-credential';
export { describeCredential } from './auth/describe-credential';
export { classifyCredentialError } from './auth/classify-credential-error';
export { decodeTokenClaims } from './auth/decode-token-claims';
export type { TokenClaims } from './auth/decode-token-claims';

// --- transport and diagnostics ---
export { classifyStatus } from './transport/status-policy';
export { parseRetryAfter, headerValue } from './transport/parse-retry-after';
export type { ResponseHeaders } from './transport/parse-retry-after';
export { classifyResponse, AUTH_RETRY_AFTER_MILLIS } from './transport/classify-response';
export { createDefaultDispatcher } from './transport/create-dispatcher';
export { buildUserAgent } from './transport/user-agent';
export { authenticatedRequest } from './transport/authenticated-request';
export type {
  AuthenticatedOutcome, AuthenticatedRequestOptions, AuthenticatedResponse,
} from './transport/authenticated-request';
export { createIngestionRedirects, createHeaderRedirects } from './transport/redirect-policy';
export type { IngestionRedirects, RedirectCandidate, RedirectPolicy } from './transport/redirect-policy';
export { maskInstrumentationKey } from './diag/mask-instrumentation-key';
export { redactSecrets } from './diag/redact-secrets';
export { createDiagnostics } from './diag/diagnostics';
export type { Diagnostics } from './diag/diagnostics';
export { urlForLog } from './diag/diagnostic-event';
export { describeIdentity } from './diag/failure-messages';
export { findUntrustedCertificateCode, untrustedCertificateCause, untrustedCertificateFix } from './diag/untrusted-certificate';

// --- export pipeline (what each exporter constructor calls) ---
export { createSignalPipeline, createForwardingPipeline } from './export/create-signal-pipeline';
export type { ForwardingPipeline, ForwardingPipelineOptions } from './export/create-signal-pipeline';
export type { SignalExporterOptions, BeforeExportHook } from './export/signal-exporter-options';
export { createDeliveryStats } from './export/delivery-stats/create-delivery-stats';
export type { DeliveryStats, DeliveryStatsOptions } from './export/delivery-stats/create-delivery-stats';
export { SDK_STATS_METRIC, DEFAULT_SDK_STATS_INTERVAL_MILLIS } from './export/delivery-stats/sdk-stats-names';
export type { DeliveryObserver, SettledSend } from './delivery/delivery-observer';
export { DEFAULT_REPLAY_SPREAD } from './delivery/replay-spread';
export type { ReplaySpreadPolicy } from './delivery/replay-spread';
export type { ExportPipeline, ExportPipelineTuning } from './export/export-pipeline';
export { DEFAULT_MAX_CONCURRENT_SENDS } from './delivery/delivery';

// --- wire types (what a beforeExport hook sees) ---
export type { Envelope, EnvelopeData, EnvelopeName, BaseType } from './contracts/envelope';
export type { RequestData } from './contracts/request-data';
export type { RemoteDependencyData } from './contracts/remote-dependency-data';
export type { ExceptionData, ExceptionDetails, StackFrame } from './contracts/exception-data';
export type { MessageData, SeverityLevel } from './contracts/message-data';
export type { EventData } from './contracts/event-data';
export type { MetricsData, DataPoint, DataPointKind } from './contracts/metrics-data';
export type { AvailabilityData } from './contracts/availability-data';
export type { PageViewData } from './contracts/page-view-data';
export { CONTEXT_TAG, CONTEXT_TAG_MAX_LENGTH, CONTEXT_TAG_SCHEMA_MAX_LENGTH } from './contracts/context-tag';
export type { ContextTagKey } from './contracts/context-tag';

// --- mapping ---
export { createMappingContext } from './mapping/common/envelope/mapping-context';
export type { MappingContext, MappingContextOptions, OperationNameLookup, RequestNameSource, SuccessOverride } from './mapping/common/envelope/mapping-context';
export { resourceToTags } from './mapping/common/tags/resource-to-tags';
export { truncateString } from './mapping/common/limits/truncate-string';
export { capItemSize } from './mapping/common/limits/cap-item-size';
export { SERVICE_LIMITS } from './contracts/service-limits';
export { itemSampleRate } from './mapping/common/envelope/sample-rate';
export { attributeValueToString } from './mapping/common/attributes/attribute-value-to-string';
export { SAMPLE_RATE_ATTRIBUTE, K8S_WORKLOAD_ATTRIBUTES, PROCESSED_BY_METRIC_EXTRACTORS } from './mapping/common/attributes/attribute-keys';
export { spanToEnvelopes } from './mapping/trace/span-to-envelopes';
export { requestOperationName } from './mapping/trace/request-operation-name';
export { spanToItemFacts } from './mapping/trace/span-to-item-facts';
export type { SpanItemFacts, SpanItemKind } from './mapping/trace/span-to-item-facts';
export { logRecordToEnvelope } from './mapping/logs/log-record-to-envelope';
export { logRecordToItemFacts } from './mapping/logs/log-record-to-item-facts';
export type { LogItemFacts } from './mapping/logs/log-record-to-item-facts';
export { resourceMetricsToEnvelopes } from './mapping/metric/resource-metrics-to-envelopes';
export { azureMonitorTemporalitySelector } from './mapping/metric/azure-monitor-temporality-selector';
export { STANDARD_METRIC_IDS } from './mapping/metric/metric-names';
export { ApplicationInsightsSampler } from './sampling/application-insights-sampler';
