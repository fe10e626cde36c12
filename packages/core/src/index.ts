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
export type { AzureMonitorExporterOptions } from './config/azure-monitor-exporter-options';
export { parseConnectionString, DEFAULT_INGESTION_ENDPOINT } from './config/parse-connection-string';
export { resolveConfig, CONFIG_DEFAULTS, CONNECTION_STRING_ENV, AUTHENTICATION_STRING_ENV } from './config/resolve-config';
export type { ConfigEnvironment } from './config/resolve-config';
export { deriveScope, deriveQueryScope, cloudOfEndpoint, DEFAULT_INGESTION_SCOPE } from './config/derive-scope';
export type { AzureCloud, DeriveScopeInput, DeriveQueryScopeInput } from './config/derive-scope';
export { normalizeAudience } from './config/normalize-audience';
export { normalizeEndpoint } from './config/normalize-endpoint';
export { isLoopbackHost } from './config/is-loopback-host';
export { defaultStorageDirectory } from './config/default-storage-directory';
export { readPackageVersion } from './config/read-package-version';

// --- auth ---
export type { TokenProvider, TokenRequestOptions } from './auth/token-provider-types';
export { createTokenProvider, TOKEN_PROVIDER_DEFAULTS } from './auth/create-token-provider';
export type { TokenProviderOptions } from './auth/create-token-provider';
export { getSharedTokenProvider } from './auth/get-shared-token-provider';
export { parseAuthenticationString } from './auth/parse-authentication-string';
export type { AuthenticationString, ManagedIdentityDescriptor } from './auth/parse-authentication-string';
export { sharedManagedIdentityCredential } from './auth/shared-managed-identity-credential';
export { createLazyCredential } from './auth/create-lazy-credential';
export type { LazyCredential } from './auth/create-lazy-credential';
export { describeCredential } from './auth/describe-credential';
export type { CredentialKind } from './auth/describe-credential';
export { classifyCredentialError } from './auth/classify-credential-error';
export type { CredentialErrorContext } from './auth/classify-credential-error';
export { decodeTokenClaims } from './auth/decode-token-claims';
export type { TokenClaims } from './auth/decode-token-claims';

// --- transport ---
export { ENVELOPES_CONTENT_TYPE } from './transport/transport-types';
export type { RequestBody, SendOutcome, Transport } from './transport/transport-types';
export { createHttpTransport, DEFAULT_REQUEST_TIMEOUT_MILLIS } from './transport/http-transport';
export type { HttpTransportOptions } from './transport/http-transport';
export { parsePartialSuccess, RETRIABLE_ITEM_STATUSES } from './transport/partial-success';
export type { PartialSuccess } from './transport/partial-success';
export { STATUS_POLICY, classifyStatus } from './transport/status-policy';
export type { StatusPolicyKey, StatusPolicyRow } from './transport/status-policy';
export { parseRetryAfter } from './transport/parse-retry-after';
export { headerValue } from './transport/parse-retry-after';
export type { ResponseHeaders } from './transport/parse-retry-after';
export { authenticatedRequest } from './transport/authenticated-request';
export type {
  AuthenticatedOutcome, AuthenticatedRequestOptions, AuthenticatedResponse,
} from './transport/authenticated-request';
export { createIngestionRedirects } from './transport/redirect-policy';
export type { IngestionRedirects, RedirectCandidate, RedirectPolicy } from './transport/redirect-policy';
export { classifyResponse } from './transport/classify-response';
export type { ResponseFacts } from './transport/classify-response';
export { createDefaultDispatcher } from './transport/create-dispatcher';
export { createDiagnostics, DIAGNOSTIC_INTERVAL_MILLIS } from './diag/diagnostics';
export type { Diagnostics, DiagnosticsOptions } from './diag/diagnostics';
export { describeOutcome } from './transport/describe-outcome';
export type { DiagnosticContext } from './transport/describe-outcome';
export type { DiagnosticEvent, TelemetrySignal } from './diag/diagnostic-event';
export { maskInstrumentationKey } from './diag/mask-instrumentation-key';
export { describeIdentity } from './diag/failure-messages';
export type { IdentityFacts } from './diag/failure-messages';
export { findUntrustedCertificateCode, untrustedCertificateCause, untrustedCertificateFix } from './diag/untrusted-certificate';

// --- delivery / export pipeline ---
export { createExportPipeline } from './export/export-pipeline';
export type { ExportPipeline, ExportPipelineOptions, ExportPipelineTuning } from './export/export-pipeline';
export { MappingError } from './export/mapping-error';
export { serializeRequests, EXPORT_REQUEST_LIMITS } from './export/serialize-requests';
export type { SerializedRequest, SerializedBatch, RequestLimits } from './export/serialize-requests';
export { createDelivery, DEFAULT_MAX_CONCURRENT_SENDS } from './delivery/delivery';
export type { Delivery, DeliveryOptions, DeliveryReceipt, DeliverySendOptions } from './delivery/delivery';
export { createFileStore, createOfflineStore, DEFAULT_LEASE_MILLIS } from './delivery/file-store';
export type { FileStoreOptions } from './delivery/file-store';
export { createMemoryQueue, DEFAULT_MEMORY_QUEUE_MAX_BYTES } from './delivery/memory-queue';
export type { MemoryQueueOptions } from './delivery/memory-queue';
export type { BodyStore, StoredRequest, PutResult, LeasedPut, StoreStats } from './delivery/store-types';
export { createSendGate, DEFAULT_SEND_GATE_POLICY } from './delivery/send-gate';
export type { SendGate, SendGatePolicy } from './delivery/send-gate';
export { TRANSIENT_BACKOFF, QUOTA_BACKOFF, AUTH_BACKOFF, computeBackoffMillis } from './delivery/backoff';
export type { BackoffPolicy } from './delivery/backoff';
export { encodeJsonItems, decodeBody, selectBodyItems } from './delivery/body-codec';

// --- exporter wiring (used by the three exporter packages) ---
export { createSignalPipeline } from './exporter/create-signal-pipeline';
export type { SignalExporterOptions, BeforeExportHook } from './exporter/signal-exporter-options';

// --- mapping ---
export type { Envelope, EnvelopeData, EnvelopeName, BaseType } from './contracts/envelope';
export type { RequestData } from './contracts/request-data';
export type { RemoteDependencyData } from './contracts/remote-dependency-data';
export type { ExceptionData, ExceptionDetails, StackFrame } from './contracts/exception-data';
export type { MessageData, SeverityLevel } from './contracts/message-data';
export type { EventData } from './contracts/event-data';
export type { MetricsData, DataPoint, DataPointKind } from './contracts/metrics-data';
export type { AvailabilityData } from './contracts/availability-data';
export type { PageViewData } from './contracts/page-view-data';
export { CONTEXT_TAG, CONTEXT_TAG_MAX_LENGTH } from './contracts/context-tag';
export type { ContextTagKey } from './contracts/context-tag';
export { SERVICE_LIMITS } from './contracts/service-limits';
export { createMappingContext } from './mapping/common/mapping-context';
export type { MappingContext, MappingContextOptions, RequestNameSource, SuccessOverride } from './mapping/common/mapping-context';
export { defaultSdkVersion, CORE_PACKAGE_VERSION } from './mapping/common/sdk-version';
export { hrTimeToIsoString } from './mapping/common/hr-time-to-iso-string';
export { hrTimeToDuration } from './mapping/common/hr-time-to-duration';
export { resourceToTags } from './mapping/common/resource-to-tags';
export { truncateString } from './mapping/common/truncate-string';
export { capItemSize } from './mapping/common/cap-item-size';
export { attributeValueToString } from './mapping/common/attribute-value-to-string';
export { SAMPLE_RATE_ATTRIBUTE, LINKS_PROPERTY, K8S_WORKLOAD_ATTRIBUTES, PROCESSED_BY_METRIC_EXTRACTORS } from './mapping/common/attribute-keys';
export { spanToEnvelopes } from './mapping/trace/span-to-envelopes';
export { spanToItemFacts } from './mapping/trace/span-to-item-facts';
export type { SpanItemFacts, SpanItemKind } from './mapping/trace/span-to-item-facts';
export { logRecordToEnvelope, LOG_BODY_PROPERTY } from './mapping/logs/log-record-to-envelope';
export { logRecordToItemFacts } from './mapping/logs/log-record-to-item-facts';
export type { LogItemFacts, LogItemKind } from './mapping/logs/log-record-to-item-facts';
export { resourceMetricsToEnvelopes, resourceMetricsToEnvelopeBatch } from './mapping/metric/resource-metrics-to-envelopes';
export type { MetricEnvelopeBatch } from './mapping/metric/resource-metrics-to-envelopes';
export { azureMonitorTemporalitySelector } from './mapping/metric/azure-monitor-temporality-selector';
export {
  PERFORMANCE_COUNTER_NAMES, STANDARD_METRIC_IDS, METRIC_ID_PROPERTY, IS_AUTOCOLLECTED_PROPERTY, metricNameToWire,
} from './mapping/metric/metric-names';
export type { WireMetricName } from './mapping/metric/metric-names';
export { ApplicationInsightsSampler } from './sampling/application-insights-sampler';
export { samplingScore } from './sampling/sampling-score';

// --- live metrics ---
export {
  QUICK_PULSE_API_VERSION, QUICK_PULSE_INVARIANT_VERSION, QUICK_PULSE_HEADERS, LIVE_METRIC_NAMES, DEFAULT_LIVE_ENDPOINT,
} from './live-metrics/quick-pulse-contracts';
export type {
  MetricPoint, KeyValuePair, DocumentType, DocumentIngress, MonitoringDataPoint,
} from './live-metrics/quick-pulse-contracts';
export {
  createQuickPulseClient, quickPulseUrl, toDotNetTicks, QUICK_PULSE_REQUEST_TIMEOUT_MILLIS,
} from './live-metrics/create-quick-pulse-client';
export type {
  QuickPulseClient, QuickPulseClientOptions, QuickPulseIdentity, QuickPulseResult,
} from './live-metrics/create-quick-pulse-client';
export {
  createLiveMetricsSession, FIRST_PING_DELAY_MILLIS, PING_INTERVAL_MILLIS, POST_INTERVAL_MILLIS, FAILED_PING_INTERVAL_MILLIS, FAILURE_STREAK_FOR_BACKOFF,
} from './live-metrics/create-live-metrics-session';
export type {
  LiveMetricsSession, LiveMetricsSessionOptions, LiveMetricsSource, LiveMetricsSample, LiveMetricsState,
} from './live-metrics/create-live-metrics-session';
export { createLiveMetrics } from './live-metrics/create-live-metrics';
export type { LiveMetricsOptions } from './live-metrics/create-live-metrics';
export { isAllowedLiveRedirect } from './live-metrics/is-allowed-live-redirect';
export { resolveLiveEndpoint } from './live-metrics/resolve-live-endpoint';
