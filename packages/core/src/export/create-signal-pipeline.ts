import { diag } from '@opentelemetry/api';
import { getSharedTokenProvider } from '../auth/get-shared-token-provider';
import { resolveConfig } from '../config/resolve-config';
import type { Envelope } from '../contracts/envelope';
import type { TelemetrySignal } from '../diag/diagnostic-event';
import { createExportPipeline } from './export-pipeline';
import type { ExportPipeline, ExportPipelineTuning } from './export-pipeline';
import type { AzureMonitorExporterOptions } from '../config/azure-monitor-exporter-options';
import type { ResolvedConfig } from '../config/resolved-config';
import type { Transport } from '../transport/transport-types';
import { createMappingContext } from '../mapping/common/envelope/mapping-context';
import type { MappingContext } from '../mapping/common/envelope/mapping-context';
import { createHttpTransport } from '../transport/http-transport';
import type { BeforeExportHook, SignalExporterOptions } from './signal-exporter-options';

/**
 * Joins configuration, Entra auth, mapping and delivery for one signal: what each exporter's
 * constructor calls. Throws `ConfigError` (at construction) for bad configuration.
 */
export function createSignalPipeline<T>(
  signal: TelemetrySignal,
  options: SignalExporterOptions,
  mapItems: (items: readonly T[], ctx: MappingContext) => Envelope[],
): ExportPipeline<T> {
  const config = resolveConfig(options);
  const transport = createIngestionTransport(config, signal, options.userAgentPrefix);
  const ctx = createMappingContext({
    instrumentationKey: config.instrumentationKey,
    ...(options.successOverride ? { successOverride: options.successOverride } : {}),
    ...(config.requestNameSource ? { requestNameSource: config.requestNameSource } : {}),
    ...(options.operationNameOf ? { operationNameOf: options.operationNameOf } : {}),
  });
  const hook = options.beforeExport;
  const map = hook ? (items: readonly T[]) => applyBeforeExport(mapItems(items, ctx), hook, signal) : (items: readonly T[]) => mapItems(items, ctx);
  return createExportPipeline<T>({
    config, transport, map, signal,
    ...(options.tuning ? { tuning: options.tuning } : {}),
    ...(options.deliveryObserver ? { observer: options.deliveryObserver } : {}),
  });
}

/** The pipeline of {@link createForwardingPipeline}: items are envelopes already, and it names the resource. */
export interface ForwardingPipeline extends ExportPipeline<object> {
  /** Instrumentation key of the connection string: the resource every forwarded envelope must name. */
  readonly instrumentationKey: string;
}

/** Options of {@link createForwardingPipeline}. */
export interface ForwardingPipelineOptions extends AzureMonitorExporterOptions {
  /** Prepended to the `User-Agent` header. */
  userAgentPrefix?: string;
  /** Internal tuning for tests and benchmarks; the defaults suit production. */
  tuning?: ExportPipelineTuning;
}

/**
 * A pipeline for envelopes built elsewhere (the browser relay): the same configuration, Entra auth
 * (the shared token provider), transport and durable delivery as an exporter's, with no mapping.
 * The caller is responsible for what the envelopes contain. Throws `ConfigError` for bad configuration.
 */
export function createForwardingPipeline(signal: TelemetrySignal, options: ForwardingPipelineOptions): ForwardingPipeline {
  const config = resolveConfig(options);
  const transport = createIngestionTransport(config, signal, options.userAgentPrefix);
  const pipeline = createExportPipeline<object>({ config, transport, map: (items) => [...items], signal, ...(options.tuning ? { tuning: options.tuning } : {}) });
  return Object.assign(pipeline, { instrumentationKey: config.instrumentationKey });
}

/**
 * One attempt per send: what fails transiently is queued and retried from the store, spaced by the
 * send gate's backoff (docs/errors-and-retries.md), so an export never stalls in an outage.
 */
function createIngestionTransport(config: ResolvedConfig, signal: TelemetrySignal, userAgentPrefix: string | undefined): Transport {
  const tokenProvider = config.credential ? getSharedTokenProvider(config.credential, config.scope) : undefined;
  return createHttpTransport({
    endpoint: config.ingestionEndpoint,
    instrumentationKey: config.instrumentationKey,
    signalName: signal,
    requestTimeoutMillis: config.requestTimeoutMillis,
    ...(tokenProvider ? { tokenProvider } : {}),
    ...(userAgentPrefix ? { userAgent: userAgentPrefix } : {}),
  });
}

function applyBeforeExport(envelopes: Envelope[], hook: BeforeExportHook, signal: TelemetrySignal): Envelope[] {
  const kept: Envelope[] = [];
  for (const envelope of envelopes) {
    let keep = true;
    try {
      keep = hook(envelope) !== false;
    } catch (e: unknown) {
      diag.warn(`@appinsights-otel ${signal}: beforeExport threw (${e instanceof Error ? e.message : String(e)}); the item is sent as it was`);
    }
    if (keep) kept.push(envelope);
  }
  const dropped = envelopes.length - kept.length;
  if (dropped > 0) diag.debug(`@appinsights-otel ${signal}: beforeExport dropped ${dropped} of ${envelopes.length} items`);
  return kept;
}
