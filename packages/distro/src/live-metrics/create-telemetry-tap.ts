import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  CONTEXT_TAG, CONTEXT_TAG_MAX_LENGTH, createMappingContext, logRecordToEnvelope, logRecordToItemFacts, PROCESSED_BY_METRIC_EXTRACTORS, resourceToTags,
  spanToEnvelopes, spanToItemFacts, truncateString, type Envelope, type LogItemFacts, type MappingContext, type MappingContextOptions, type SpanItemFacts, type SpanItemKind,
} from '@appinsights-otel/core';
import { envelopeToDocument } from './envelope-to-document';
import type { DocumentIngress } from './protocol/quick-pulse-contracts';

export { PROCESSED_BY_METRIC_EXTRACTORS };

/** What an item is, for the aggregates: span items, or `other` (custom events, availability...). */
export type TappedItemKind = SpanItemKind | 'other';

/**
 * One item as ingestion would receive it, reduced to what Live Metrics, standard metrics and
 * performance counters aggregate. The whole item (and its sample document) is built only on demand.
 */
export interface TappedItem {
  readonly kind: TappedItemKind;
  /** The span's duration in milliseconds (0 for log records and span events). */
  readonly durationMillis: number;
  /** Requests and dependencies: `success` as mapped. */
  readonly success: boolean;
  /** Requests: `responseCode`; dependencies: `resultCode`; '' otherwise. */
  readonly resultCode: string;
  /** Dependencies: `type`; '' otherwise. */
  readonly dependencyType: string;
  /** Dependencies: `target` ('' when none). */
  readonly dependencyTarget: string;
  /** `ai.cloud.role` and `ai.cloud.roleInstance` of the item. */
  readonly roleName: string;
  readonly roleInstance: string;
  /** Whether the item has `ai.operation.syntheticSource`. */
  readonly synthetic: boolean;
  /** Traces: the severity level (`Information` when none). */
  readonly severityLevel: string;
  /**
   * The whole item as ingestion would store it; maps the whole span or record (once for all items
   * of a span, cached). Call only while someone watches.
   */
  envelope(): Envelope | undefined;
  /** The sample document the Live Metrics page shows (from {@link envelope}). */
  document(): DocumentIngress | undefined;
}

/** Something that wants every item (Live Metrics, standard metrics). */
type TapListener = (item: TappedItem) => void;

/** Its value: the SDK's standard metrics extractor. */
export const METRIC_EXTRACTOR_MARK = "(Name:'X', Ver:'1.1')";

/** Options of {@link createTelemetryTap}. */
export interface TelemetryTapOptions {
  readonly instrumentationKey: string;
  /** The exporter's mapping options (`successOverride`, `requestNameSource`), so the tap maps as the trace exporter does. */
  readonly mapping?: Pick<MappingContextOptions, 'successOverride' | 'requestNameSource'>;
  /** Mark spans (and so their events' items) and log records with `_MS.ProcessedByMetricExtractors` (standard metrics on). */
  readonly markProcessed: boolean;
}

/** A span processor and a log record processor feeding the same listeners. */
export interface TelemetryTap {
  readonly spanProcessor: SpanProcessor;
  readonly logRecordProcessor: LogRecordProcessor;
  /** Adds a listener; items are looked at only while there is at least one. */
  listen(listener: TapListener): void;
}

const hrToMillis = (hr: readonly [number, number]): number => hr[0] * 1_000 + hr[1] / 1_000_000;

/** The default severity of traces in standard metrics. */
const DEFAULT_SEVERITY = 'Information';

interface RoleTags {
  readonly roleName: string;
  readonly roleInstance: string;
}

const ROLE_TAGS = new WeakMap<Resource, RoleTags>();

/** The role tags of a resource as envelopes carry them (truncated to the tag limits), once per resource. */
function roleTagsOf(resource: Resource): RoleTags {
  let role = ROLE_TAGS.get(resource);
  if (role === undefined) {
    const tags = resourceToTags(resource);
    const tag = (key: typeof CONTEXT_TAG.CLOUD_ROLE | typeof CONTEXT_TAG.CLOUD_ROLE_INSTANCE): string => truncateString(tags[key] ?? '', CONTEXT_TAG_MAX_LENGTH[key]);
    role = { roleName: tag(CONTEXT_TAG.CLOUD_ROLE), roleInstance: tag(CONTEXT_TAG.CLOUD_ROLE_INSTANCE) };
    ROLE_TAGS.set(resource, role);
  }
  return role;
}

const KIND_BY_BASE_TYPE: Readonly<Partial<Record<Envelope['data']['baseType'], TappedItemKind>>> = {
  RequestData: 'request', RemoteDependencyData: 'dependency', ExceptionData: 'exception', MessageData: 'trace',
};

/** A log record of the legacy shim, mapped whole -> its tapped item (its kind depends on its body). */
function envelopeToTappedItem(envelope: Envelope): TappedItem {
  const { data, tags } = envelope;
  return {
    kind: KIND_BY_BASE_TYPE[data.baseType] ?? 'other', durationMillis: 0, success: true, resultCode: '', dependencyType: '', dependencyTarget: '',
    roleName: tags[CONTEXT_TAG.CLOUD_ROLE] ?? '', roleInstance: tags[CONTEXT_TAG.CLOUD_ROLE_INSTANCE] ?? '',
    synthetic: tags[CONTEXT_TAG.OPERATION_SYNTHETIC_SOURCE] !== undefined,
    severityLevel: data.baseType === 'MessageData' || data.baseType === 'ExceptionData' ? String(data.baseData.severityLevel ?? DEFAULT_SEVERITY) : DEFAULT_SEVERITY,
    envelope: () => envelope,
    document: () => envelopeToDocument(envelope),
  };
}

const KIND_BY_LOG_KIND: Readonly<Record<LogItemFacts['kind'], TappedItemKind>> = {
  exception: 'exception', message: 'trace', event: 'other', availability: 'other',
};

/** A log record's item: facts only; the record is mapped whole only when its document is asked for. */
class LogItem implements TappedItem {
  readonly kind: TappedItemKind;
  readonly durationMillis = 0;
  readonly success = true;
  readonly resultCode = '';
  readonly dependencyType = '';
  readonly dependencyTarget = '';
  readonly roleName: string;
  readonly roleInstance: string;
  readonly synthetic: boolean;
  readonly severityLevel: string;

  private mapped: Envelope | undefined;

  constructor(facts: LogItemFacts, role: RoleTags, private readonly record: ReadableLogRecord, private readonly ctx: MappingContext) {
    this.kind = KIND_BY_LOG_KIND[facts.kind];
    this.roleName = role.roleName;
    this.roleInstance = role.roleInstance;
    this.synthetic = facts.synthetic;
    this.severityLevel = facts.severityLevel ?? DEFAULT_SEVERITY;
  }

  envelope(): Envelope {
    return (this.mapped ??= logRecordToEnvelope(this.record, this.ctx));
  }

  document(): DocumentIngress | undefined {
    return envelopeToDocument(this.envelope());
  }
}

/** A log record's item: from its facts, or (legacy shim records) from its whole mapping. */
function logItem(record: ReadableLogRecord, ctx: MappingContext): TappedItem {
  const facts = logRecordToItemFacts(record);
  return facts ? new LogItem(facts, roleTagsOf(record.resource), record, ctx) : envelopeToTappedItem(logRecordToEnvelope(record, ctx));
}

/** One span's items share its mapping: done once, and only when a document is asked for. */
class SpanMapping {
  private envelopes: Envelope[] | undefined;

  constructor(private readonly span: ReadableSpan, private readonly ctx: MappingContext) {}

  envelope(index: number): Envelope | undefined {
    this.envelopes ??= spanToEnvelopes(this.span, this.ctx);
    return this.envelopes[index];
  }
}

/** An item of a span: plain fields of one shape (no spreads, no closures: this runs for every span). */
class SpanItem implements TappedItem {
  readonly kind: TappedItemKind;
  readonly success: boolean;
  readonly resultCode: string;
  readonly dependencyType: string;
  readonly dependencyTarget: string;
  readonly synthetic: boolean;
  readonly roleName: string;
  readonly roleInstance: string;
  readonly severityLevel = DEFAULT_SEVERITY;

  constructor(
    fact: SpanItemFacts, role: RoleTags, readonly durationMillis: number, private readonly mapping: SpanMapping, private readonly index: number,
  ) {
    this.kind = fact.kind;
    this.success = fact.success;
    this.resultCode = fact.resultCode;
    this.dependencyType = fact.dependencyType;
    this.dependencyTarget = fact.dependencyTarget;
    this.synthetic = fact.synthetic;
    this.roleName = role.roleName;
    this.roleInstance = role.roleInstance;
  }

  envelope(): Envelope | undefined {
    return this.mapping.envelope(this.index);
  }

  document(): DocumentIngress | undefined {
    const envelope = this.envelope();
    return envelope ? envelopeToDocument(envelope) : undefined;
  }
}

/** The items of one span, in `spanToEnvelopes` order. */
function spanItems(span: ReadableSpan, ctx: MappingContext): TappedItem[] {
  const facts = spanToItemFacts(span, ctx);
  const role = roleTagsOf(span.resource);
  const mapping = new SpanMapping(span, ctx);
  const items: TappedItem[] = [];
  for (let i = 0; i < facts.length; i++) items.push(new SpanItem(facts[i] as SpanItemFacts, role, i === 0 ? hrToMillis(span.duration) : 0, mapping, i));
  return items;
}

/**
 * Sees every recording span when it ends and every log record when it is emitted, and hands each
 * item to the listeners. Nothing is mapped: core's `spanToItemFacts` / `logRecordToItemFacts`
 * decide kind, success, result code, dependency type/target and severity by the mappers' own rules
 * (so Live Metrics and standard metrics count exactly what ingestion stores) at a fraction of the
 * cost; the whole item is built
 * only when a listener asks for its sample document (Live Metrics, while someone watches). It sees
 * spans that sampling dropped too when the sampler records them (see `recordSampledOutSpans`), so
 * counts and rates stay exact under sampling. A listener that throws never breaks the app.
 */
export function createTelemetryTap(options: TelemetryTapOptions): TelemetryTap {
  const listeners: TapListener[] = [];
  const ctx = createMappingContext({ ...options.mapping, instrumentationKey: options.instrumentationKey });
  const deliver = (item: TappedItem): void => {
    for (const listener of listeners) {
      try {
        listener(item);
      } catch {
        // Auto-collection is best effort; the app and its telemetry come first.
      }
    }
  };
  const spanProcessor: SpanProcessor = {
    onStart(span: Span): void {
      // Every span becomes a request or a dependency, and each (with its events) is counted by the standard metrics.
      if (options.markProcessed) span.setAttribute(PROCESSED_BY_METRIC_EXTRACTORS, METRIC_EXTRACTOR_MARK);
    },
    onEnd(span: ReadableSpan): void {
      if (listeners.length === 0) return;
      let items: TappedItem[];
      try {
        items = spanItems(span, ctx);
      } catch {
        return;
      }
      for (const item of items) deliver(item);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const logRecordProcessor: LogRecordProcessor = {
    onEmit(record: ReadWriteLogRecord): void {
      if (options.markProcessed) record.setAttribute(PROCESSED_BY_METRIC_EXTRACTORS, METRIC_EXTRACTOR_MARK);
      if (listeners.length === 0) return;
      let item: TappedItem;
      try {
        item = logItem(record as unknown as ReadableLogRecord, ctx);
      } catch {
        return;
      }
      deliver(item);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  return { spanProcessor, logRecordProcessor, listen: (listener) => { listeners.push(listener); } };
}
