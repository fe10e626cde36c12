import { diag } from '@opentelemetry/api';
import { emptyResource, type Resource } from '@opentelemetry/resources';
import { decodeBody } from '../../delivery/body-codec';
import type { DeliveryObserver, SettledSend } from '../../delivery/delivery-observer';
import { CORE_PACKAGE_VERSION } from '../../mapping/common/envelope/sdk-version';
import { createSignalPipeline } from '../create-signal-pipeline';
import type { ExportPipeline } from '../export-pipeline';
import type { SignalExporterOptions } from '../signal-exporter-options';
import { classifyItem } from './classify-item';
import { countSettledSend } from './count-settled-send';
import { DEFAULT_SDK_STATS_INTERVAL_MILLIS } from './sdk-stats-names';
import { createStatsCounter, type StatsRow } from './stats-counter';
import { statsToEnvelopes, type SdkStatsCommon } from './stats-to-envelopes';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/core/delivery-stats' });

/** Options of {@link createDeliveryStats}: where to send (as the exporters), and the rows' dimensions. */
export interface DeliveryStatsOptions extends Omit<SignalExporterOptions, 'deliveryObserver' | 'beforeExport' | 'successOverride' | 'operationNameOf'> {
  /** Interval between two exports of the counts (default 15 minutes, as the official SDKs). */
  readonly intervalMillis?: number;
  /** The resource of the telemetry: its cloud role and instance tag the rows. */
  readonly resource?: Resource;
  /** `computeType` dimension (default `unknown`). */
  readonly computeType?: string;
  /** `version` dimension (default this package's version). */
  readonly version?: string;
}

/**
 * Delivery statistics (Microsoft's SDK Stats): counts what every delivery it observes settled and
 * sends the counts as `Item_Success_Count`, `Item_Dropped_Count` and `Item_Retry_Count` custom
 * metrics to the same resource, with the same credential, through a delivery of its own (same
 * store, same durable rules). Its own items are never counted.
 */
export interface DeliveryStats {
  /** Pass to the exporters (`deliveryStats` option): their deliveries report every settled send here. */
  readonly observer: DeliveryObserver;
  /** Send what was counted so far, and wait for the send. */
  forceFlush(): Promise<void>;
  /** Send the last counts, then stop (call after the exporters shut down, so their last sends are counted). */
  shutdown(): Promise<void>;
}

/** Create {@link DeliveryStats}; throws `ConfigError` for bad configuration, as the exporters do. */
export function createDeliveryStats(options: DeliveryStatsOptions): DeliveryStats {
  const counter = createStatsCounter();
  const classifying = new Set<Promise<void>>();
  const resource = options.resource ?? emptyResource();
  const common: SdkStatsCommon = { computeType: options.computeType ?? 'unknown', language: 'node', version: options.version ?? CORE_PACKAGE_VERSION };
  const now = options.tuning?.now ?? Date.now;

  const observer: DeliveryObserver = {
    settled(send: SettledSend) {
      const counts = countSettledSend(send, send.body.itemCount);
      if (counts.items.length === 0 && counts.elsewhere.length === 0) return;
      const job = (counts.items.length === 0 ? Promise.resolve([]) : decodeBody(send.body))
        .then((items) => counter.addSend(counts, items.map(classifyItem)))
        .catch((e: unknown) => log.debug(`a settled send could not be counted: ${String(e)}`));
      classifying.add(job);
      void job.finally(() => classifying.delete(job));
    },
  };
  // The rows' own fields (interval, resource, dimensions) are not exporter options; resolveConfig reads only its own.
  const pipeline: ExportPipeline<StatsRow> = createSignalPipeline<StatsRow>('metrics', { ...options, deliveryObserver: observer },
    (rows, ctx) => statsToEnvelopes(rows, ctx, resource, common, new Date(now()).toISOString()));

  const sendCounts = async (): Promise<void> => {
    await Promise.all([...classifying]);
    const rows = counter.drain();
    if (rows.length === 0) return;
    await new Promise<void>((resolve) => pipeline.export(rows, (result) => {
      if (result.error) log.debug(`SDK Stats export: ${result.error.message}`);
      resolve();
    }));
  };
  const timer = setInterval(() => { void sendCounts(); }, options.intervalMillis ?? DEFAULT_SDK_STATS_INTERVAL_MILLIS);
  timer.unref();
  let shutdownPromise: Promise<void> | undefined;
  return {
    observer,
    forceFlush: () => sendCounts(),
    shutdown() {
      return (shutdownPromise ??= (async () => {
        clearInterval(timer);
        await sendCounts();
        await pipeline.shutdown();
      })());
    },
  };
}
