import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ResolvedConfig } from '../config/resolved-config';
import { encodeJsonItems } from '../delivery/body-codec';
import { createDelivery, type Delivery, type DeliveryReceipt } from '../delivery/delivery';
import type { DeliveryObserver } from '../delivery/delivery-observer';
import { createOfflineStore, DEFAULT_LEASE_MILLIS } from '../delivery/file-store';
import { DEFAULT_REPLAY_SPREAD, type ReplaySpreadPolicy } from '../delivery/replay-spread';
import type { SendGatePolicy } from '../delivery/send-gate';
import type { BodyStore } from '../delivery/store-types';
import { withDeadline } from '../delivery/with-deadline';
import { ShutdownError } from '../errors';
import type { TelemetrySignal } from '../diag/diagnostic-event';
import type { Transport } from '../transport/transport-types';
import { receiptsToResult } from './export-result';
import { MappingError } from './mapping-error';
import { EXPORT_REQUEST_LIMITS, serializeItems, type RequestLimits } from './serialize-requests';

/** Part of a shutdown's budget kept for persisting what could not be sent. */
const MAX_PERSIST_RESERVE_MILLIS = 1_000;

/** Options of {@link createExportPipeline}. */
export interface ExportPipelineOptions<T> {
  /** Resolved exporter configuration (storage, timeouts, gzip). */
  readonly config: ResolvedConfig;
  /** Sends one body (one attempt): normally `createHttpTransport(...)`; retries come from the store. */
  readonly transport: Transport;
  /** Pure mapping of SDK items to envelopes; a throw becomes a FAILED result with an AI_MAPPING error. */
  readonly map: (items: readonly T[]) => object[];
  readonly signal: TelemetrySignal;
  /** Store override (tests, or to share one store); default from `config.storage`. */
  readonly store?: BodyStore;
  /** Tuning (tests, benchmarks); defaults suit production. */
  readonly tuning?: ExportPipelineTuning;
  /** Told about every settled send (delivery statistics). */
  readonly observer?: DeliveryObserver;
}

/** Optional tuning of a pipeline. */
export interface ExportPipelineTuning {
  /** Sends in flight while draining the backlog (default 4). */
  readonly maxConcurrentSends?: number;
  /** Bounds of one request before gzip (default: EXPORT_REQUEST_LIMITS, 1 MB / 1,024 items). */
  readonly requestLimits?: Partial<RequestLimits>;
  /** Backoff settings. */
  readonly gatePolicy?: SendGatePolicy;
  /** How long a claimed file is held before others may reclaim it. */
  readonly leaseMillis?: number;
  /** Delay before the first backlog drain (default 0: on the next turn of the event loop). */
  readonly startupDrainDelayMillis?: number;
  /** Startup replay spread (default `DEFAULT_REPLAY_SPREAD`; `false`: replay a startup backlog at once). */
  readonly replaySpread?: ReplaySpreadPolicy | false;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What an exporter calls: export with an exactly-once callback, flush, shutdown. */
export interface ExportPipeline<T> {
  /** Map, serialize and deliver `items`; `done` is called exactly once, never synchronously thrown into. */
  export(items: readonly T[], done: (result: ExportResult) => void): void;
  /** Wait for running exports, then send the backlog (bounded by `exportTimeoutMillis`). */
  forceFlush(): Promise<void>;
  /** Send what can be sent within `timeoutMillis` (default `exportTimeoutMillis`), persist the rest, release everything. */
  shutdown(timeoutMillis?: number): Promise<void>;
  /** The delivery underneath (diagnostics and tests). */
  readonly delivery: Delivery;
}

type PipelineLog = ReturnType<typeof diag.createComponentLogger>;

/** The store (from `config.storage` unless given) and the delivery over it. */
function createPipelineDelivery<T>(options: ExportPipelineOptions<T>, now: () => number): { store: BodyStore; delivery: Delivery } {
  const { config, transport } = options;
  const tuning = options.tuning ?? {};
  const store = options.store ?? createOfflineStore(config.storage, {
    leaseMillis: tuning.leaseMillis ?? Math.max(DEFAULT_LEASE_MILLIS, 2 * config.exportTimeoutMillis + 30_000),
    now,
  });
  const delivery = createDelivery({
    transport, store, now,
    sendTimeoutMillis: config.exportTimeoutMillis,
    persistBeforeSend: config.persistBeforeSend,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(tuning.replaySpread === false ? {} : { replaySpread: tuning.replaySpread ?? DEFAULT_REPLAY_SPREAD }),
    ...(tuning.maxConcurrentSends !== undefined ? { maxConcurrentSends: tuning.maxConcurrentSends } : {}),
    ...(tuning.gatePolicy !== undefined ? { gatePolicy: tuning.gatePolicy } : {}),
    ...(tuning.random !== undefined ? { random: tuning.random } : {}),
  });
  return { store, delivery };
}

/** What one export needs besides its items. */
interface ExportStep<T> {
  readonly options: ExportPipelineOptions<T>;
  readonly delivery: Delivery;
  readonly requestLimits: RequestLimits;
  readonly log: PipelineLog;
}

/** Maps, serializes and delivers one export's items, and folds the receipts into one ExportResult. */
async function exportItems<T>(items: readonly T[], step: ExportStep<T>): Promise<ExportResult> {
  const { map, signal, config } = step.options;
  // Mapped and serialized in slices that yield to the event loop; envelopes die within their slice.
  const batch = await serializeItems(items, map, config.gzip, { limits: step.requestLimits });
  if (batch.mapError !== undefined) {
    return { code: ExportResultCode.FAILED, error: new MappingError(`${signal}: mapping ${items.length} items to envelopes failed; they are dropped`, items.length, { cause: batch.mapError }) };
  }
  if (batch.envelopeCount === 0) return { code: ExportResultCode.SUCCESS };
  const receipts: DeliveryReceipt[] = await Promise.all(batch.requests.map((request) =>
    step.delivery.send(request.body, { rebuild: (indexes) => encodeJsonItems(selectItemJson(request, indexes), config.gzip) })));
  const serializeError = batch.unserializable > 0
    ? new MappingError(`${signal}: ${batch.unserializable} envelopes could not be serialized; they are dropped`, batch.unserializable, { cause: batch.firstError })
    : undefined;
  const result = receiptsToResult(receipts, serializeError);
  const sent = receipts.reduce((n, r) => n + r.accepted, 0);
  const queued = receipts.reduce((n, r) => n + r.queued, 0);
  step.log.debug(`export of ${batch.envelopeCount} envelopes in ${batch.requests.length} requests: ${sent} accepted, ${queued} queued`);
  return result;
}

/** The export callback, called at most once; a throwing callback is logged, never thrown into the SDK. */
function exactlyOnce(done: (result: ExportResult) => void, log: PipelineLog): (result: ExportResult) => void {
  let called = false;
  return (result) => {
    if (called) return;
    called = true;
    try {
      done(result);
    } catch (e: unknown) {
      log.error(`export callback threw: ${String(e)}`);
    }
  };
}

/** What shutting a pipeline down works on. */
interface ShutdownStep {
  readonly signal: TelemetrySignal;
  readonly transport: Transport;
  readonly store: BodyStore;
  readonly delivery: Delivery;
  readonly pending: ReadonlySet<Promise<void>>;
  readonly now: () => number;
  readonly log: PipelineLog;
}

/**
 * Sends what can be sent until `timeoutMillis` minus a reserve (at most 1 s, 10%) for persisting the
 * rest, warns about what a memory store loses, closes the delivery and, within the reserve, the transport.
 */
async function shutDownPipeline(step: ShutdownStep, timeoutMillis: number): Promise<void> {
  const { delivery, now, log } = step;
  const reserve = Math.min(MAX_PERSIST_RESERVE_MILLIS, timeoutMillis * 0.1);
  const deadline = now() + Math.max(0, timeoutMillis - reserve);
  delivery.setDeadline(deadline);
  await Promise.all([...step.pending]); // each send is woken at the deadline and persisted
  await delivery.flush(deadline);
  if (step.store.kind === 'memory') {
    const left = await step.store.stats();
    if (left.items > 0) log.warn(`${left.items} ${step.signal} items could not be delivered before shutdown and are lost (offline storage is disabled)`);
  }
  await delivery.close();
  // The transport gets what is left of the budget (reserve included); a transport that hangs is
  // left behind, never awaited past the caller's timeout.
  const closing = step.transport.shutdown().catch((e: unknown) => log.debug(`transport shutdown failed: ${String(e)}`));
  const closed = await withDeadline(closing, deadline + reserve - now());
  if (!closed.done) log.debug(`transport shutdown did not end within the ${step.signal} exporter's shutdown timeout`);
}

/**
 * Create the export pipeline of one signal: map -> serialize (+gzip) into bounded requests ->
 * durable delivery -> one ExportResult per export (DESIGN.md sections 2, 5, 6). The backlog left by
 * earlier runs starts draining on the next turn of the event loop (an unref'd timer).
 */
export function createExportPipeline<T>(options: ExportPipelineOptions<T>): ExportPipeline<T> {
  const { config, transport, signal } = options;
  const tuning = options.tuning ?? {};
  const now = tuning.now ?? Date.now;
  const log = diag.createComponentLogger({ namespace: `@appinsights-otel/core/export/${signal}` });
  const { store, delivery } = createPipelineDelivery(options, now);
  const step: ExportStep<T> = { options, delivery, requestLimits: { ...EXPORT_REQUEST_LIMITS, ...tuning.requestLimits }, log };
  const pending = new Set<Promise<void>>();
  let shutdownPromise: Promise<void> | undefined;

  const startTimer = setTimeout(() => delivery.start(), tuning.startupDrainDelayMillis ?? 0);
  startTimer.unref();

  return {
    delivery,
    export(items, done) {
      const finish = exactlyOnce(done, log);
      if (shutdownPromise) {
        finish({ code: ExportResultCode.FAILED, error: new ShutdownError(`${signal} exporter is shut down; ${items.length} items not exported`) });
        return;
      }
      const job = exportItems(items, step).then(finish, (e: unknown) => {
        finish({ code: ExportResultCode.FAILED, error: e instanceof Error ? e : new Error(String(e)) });
      });
      pending.add(job);
      void job.finally(() => pending.delete(job));
    },
    async forceFlush() {
      await Promise.all([...pending]);
      await delivery.flush(now() + config.exportTimeoutMillis);
    },
    shutdown(timeoutMillis = config.exportTimeoutMillis) {
      return (shutdownPromise ??= (async () => {
        clearTimeout(startTimer);
        await shutDownPipeline({ signal, transport, store, delivery, pending, now, log }, timeoutMillis);
      })());
    },
  };
}

/** The JSON of the items at `indexes`; indexes the request does not hold are skipped, never sent as `null`. */
function selectItemJson(request: { itemJson(index: number): string | undefined }, indexes: readonly number[]): string[] {
  const selected: string[] = [];
  for (const i of indexes) {
    const json = request.itemJson(i);
    if (json !== undefined) selected.push(json);
  }
  return selected;
}
