import { diag } from '@opentelemetry/api';
import { getSharedTokenProvider } from '../auth/get-shared-token-provider';
import { resolveConfig } from '../config/resolve-config';
import type { Envelope } from '../contracts/envelope';
import type { TelemetrySignal } from '../diag/diagnostic-event';
import { createExportPipeline } from './export-pipeline';
import type { ExportPipeline } from './export-pipeline';
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
  const tokenProvider = config.credential ? getSharedTokenProvider(config.credential, config.scope) : undefined;
  // One attempt per send: what fails transiently is queued and retried from the store, spaced
  // by the send gate's backoff (docs/errors-and-retries.md), so an export never stalls in an outage.
  const transport = createHttpTransport({
    endpoint: config.ingestionEndpoint,
    instrumentationKey: config.instrumentationKey,
    signalName: signal,
    requestTimeoutMillis: config.requestTimeoutMillis,
    ...(tokenProvider ? { tokenProvider } : {}),
    ...(options.userAgentPrefix ? { userAgent: options.userAgentPrefix } : {}),
  });
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
