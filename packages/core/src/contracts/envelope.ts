import type { AvailabilityData } from './availability-data';
import type { EventData } from './event-data';
import type { ExceptionData } from './exception-data';
import type { MessageData } from './message-data';
import type { MetricsData } from './metrics-data';
import type { PageViewData } from './page-view-data';
import type { RemoteDependencyData } from './remote-dependency-data';
import type { RequestData } from './request-data';

/** The `data` part of an envelope: the base type name and its payload. */
export type EnvelopeData =
  | { baseType: 'RequestData'; baseData: RequestData }
  | { baseType: 'RemoteDependencyData'; baseData: RemoteDependencyData }
  | { baseType: 'ExceptionData'; baseData: ExceptionData }
  | { baseType: 'MessageData'; baseData: MessageData }
  | { baseType: 'EventData'; baseData: EventData }
  | { baseType: 'MetricData'; baseData: MetricsData }
  | { baseType: 'AvailabilityData'; baseData: AvailabilityData }
  | { baseType: 'PageViewData'; baseData: PageViewData };

/** Name of a base type on the wire (`data.baseType`). */
export type BaseType = EnvelopeData['baseType'];

/** Envelope name, `Microsoft.ApplicationInsights.{Request|RemoteDependency|Exception|Message|Event|Metric|Availability|PageView}`. */
export type EnvelopeName =
  | 'Microsoft.ApplicationInsights.Request'
  | 'Microsoft.ApplicationInsights.RemoteDependency'
  | 'Microsoft.ApplicationInsights.Exception'
  | 'Microsoft.ApplicationInsights.Message'
  | 'Microsoft.ApplicationInsights.Event'
  | 'Microsoft.ApplicationInsights.Metric'
  | 'Microsoft.ApplicationInsights.Availability'
  | 'Microsoft.ApplicationInsights.PageView';

/**
 * One Application Insights telemetry item exactly as it is serialised to `/v2(.1)/track`.
 */
export interface Envelope {
  /** Envelope schema version, always 1. */
  ver: 1;
  /** Telemetry type name. */
  name: EnvelopeName;
  /** ISO-8601 UTC with exact milliseconds, e.g. `2023-11-14T22:13:20.999Z`. */
  time: string;
  /** Percentage of items kept by sampling (this item stands for `100 / sampleRate` items). Omitted when not sampled. */
  sampleRate?: number;
  /** Instrumentation key of the Application Insights resource. */
  iKey: string;
  /** Context tags, keyed by `ai.*` names (see `CONTEXT_TAG`). */
  tags: Record<string, string>;
  /** Base type and payload. */
  data: EnvelopeData;
}
