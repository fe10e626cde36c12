import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AzureMonitorExporterOptions } from '../config/azure-monitor-exporter-options';
import type { DeliveryObserver } from '../delivery/delivery-observer';
import type { Envelope } from '../contracts/envelope';
import type { OperationNameLookup } from '../mapping/common/envelope/mapping-context';
import type { ExportPipelineTuning } from './export-pipeline';

/**
 * Called for every envelope just before it is serialized. Mutate it in place to change what is
 * sent; return `false` to drop it (dropped items are counted and logged at debug level).
 */
export type BeforeExportHook = (envelope: Envelope) => boolean | void;

/** Constructor options of the three Azure Monitor exporters. */
export interface SignalExporterOptions extends AzureMonitorExporterOptions {
  /**
   * Inspect, change or drop each envelope before it is sent. If the hook throws, the envelope is still
   * sent, with whatever changes the hook made before throwing, and a warning is logged.
   */
  beforeExport?: BeforeExportHook;
  /**
   * Decide `success` of requests and dependencies yourself: receives the span and the computed value
   * (explicit span status first, else response code < 400). Traces only.
   */
  successOverride?: (span: ReadableSpan, computedSuccess: boolean) => boolean;
  /**
   * `ai.operation.name` of dependencies, logs and span events produced inside a request (the distro's
   * operation name tracker); items with an explicit `ai.operation.name` attribute keep theirs.
   */
  operationNameOf?: OperationNameLookup;
  /**
   * Told about every settled send of this exporter's delivery: pass `createDeliveryStats(...).observer`
   * to count the exporter's items in SDK Stats (docs/sdk-stats.md).
   */
  deliveryObserver?: DeliveryObserver;
  /** Prepended to the `User-Agent` header (the distro sets its own name here). */
  userAgentPrefix?: string;
  /** Internal tuning for tests and benchmarks; the defaults suit production. */
  tuning?: ExportPipelineTuning;
}
