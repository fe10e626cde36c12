/**
 * @appinsights-otel/distro: OpenTelemetry traces, metrics and logs to Azure Application Insights,
 * with Microsoft Entra ID authentication, in one call.
 *
 * ```ts
 * import { useAzureMonitor, shutdownAzureMonitor } from '@appinsights-otel/distro';
 * import { ManagedIdentityCredential } from '@azure/identity';
 * useAzureMonitor({ credential: new ManagedIdentityCredential() }); // connection string from APPLICATIONINSIGHTS_CONNECTION_STRING
 * ```
 */
export { useAzureMonitor, shutdownAzureMonitor } from './setup/use-azure-monitor';
export type {
  AzureMonitorOptions, BeforeExportHook, FastifyInstrumentationOptions, InstrumentationOptions, InstrumentationSwitch,
  RequestNameSource, SuccessOverride,
} from './config/azure-monitor-options';
export type { FilteredRequest, RequestFilterOptions } from './request-filter/request-filter-options';
export { createRateLimitedSampler } from './sampling/rate-limited-sampler';
export type { RateLimitedSamplerOptions } from './sampling/rate-limited-sampler';
