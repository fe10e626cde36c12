import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { CONTEXT_TAG } from '../../contracts/context-tag';
import type { Envelope, EnvelopeData } from '../../contracts/envelope';
import type { ExceptionData } from '../../contracts/exception-data';
import type { MessageData } from '../../contracts/message-data';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR, PROCESSED_BY_METRIC_EXTRACTORS } from '../common/attributes/attribute-keys';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { addConventionTags } from '../common/tags/convention-tags';
import { createEnvelope, envelopeParts, hasKeys } from '../common/envelope/create-envelope';
import { createExceptionDetails } from '../common/envelope/create-exception-details';
import { parseCustomMeasurements } from '../common/attributes/custom-measurements';
import { EMPTY_MESSAGE } from '../common/envelope/empty-message';
import { hrTimeToIsoString } from '../common/time/hr-time-to-iso-string';
import { spanItemProperties } from '../common/attributes/item-properties';
import type { MappingContext } from '../common/envelope/mapping-context';
import { truncateString } from '../common/limits/truncate-string';
import { addUserTags } from '../common/tags/user-tags';

/** OpenTelemetry's name for exception span events. */
export const EXCEPTION_EVENT_NAME = 'exception';

/** A copy of `tags` by assignment (a spread with a computed key took a slow path). */
function copyTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const key in tags) copy[key] = tags[key] as string;
  return copy;
}

/**
 * The tags of a span's events: the span's tags in their order, without the span's parent, then
 * `ai.operation.parentId` = the span id (an event's parent is its span). Built by assignment: a
 * `delete` would turn the object, and every copy, into a slow dictionary.
 */
export function spanEventTags(span: ReadableSpan, spanTags: Readonly<Record<string, string>>): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const key in spanTags) if (key !== CONTEXT_TAG.OPERATION_PARENT_ID) tags[key] = spanTags[key] as string;
  tags[CONTEXT_TAG.OPERATION_PARENT_ID] = span.spanContext().spanId;
  return tags;
}

/** What span-level facts an event envelope inherits. */
export interface SpanEventScope {
  /**
   * Tags of the span's events: the span's (operation id, name, user) with `ai.operation.parentId` =
   * the span id, last (see {@link spanEventTags}). Not modified.
   */
  tags: Readonly<Record<string, string>>;
  sampleRate?: number;
  /** The span's `_MS.ProcessedByMetricExtractors` value, given to each event item (unless the event has its own). */
  processedMark?: string;
}

/** The event's properties, with the span's processed mark when the event has none. */
function eventProperties(reader: AttributeReader, processedMark: string | undefined): Record<string, string> {
  const properties = spanItemProperties(reader);
  if (processedMark !== undefined && properties[PROCESSED_BY_METRIC_EXTRACTORS] === undefined) properties[PROCESSED_BY_METRIC_EXTRACTORS] = processedMark;
  return properties;
}

/** Adds `properties` and `measurements` (each only when non-empty) to an event's base data, in that order. */
function withPropertiesAndMeasurements<T extends { properties?: Record<string, string>; measurements?: Record<string, number> }>(
  baseData: T, properties: Record<string, string>, customMeasurements: string | undefined,
): T {
  if (hasKeys(properties)) baseData.properties = properties;
  if (customMeasurements !== undefined) {
    const measurements = parseCustomMeasurements(customMeasurements);
    if (hasKeys(measurements)) baseData.measurements = measurements;
  }
  return baseData;
}

function eventData(event: TimedEvent, reader: AttributeReader, processedMark: string | undefined): EnvelopeData {
  const customMeasurements = reader.string(ATTR.CUSTOM_MEASUREMENTS); // read before the rest become properties
  if (event.name === EXCEPTION_EVENT_NAME) {
    const details = createExceptionDetails({
      type: reader.string(ATTR.EXCEPTION_TYPE),
      message: reader.string(ATTR.EXCEPTION_MESSAGE),
      stack: reader.string(ATTR.EXCEPTION_STACKTRACE),
    });
    const baseData: ExceptionData = { ver: 2, exceptions: [details] };
    return { baseType: 'ExceptionData', baseData: withPropertiesAndMeasurements(baseData, eventProperties(reader, processedMark), customMeasurements) };
  }
  const baseData: MessageData = { ver: 2, message: truncateString(event.name || EMPTY_MESSAGE, SERVICE_LIMITS.MESSAGE_MAX_CHARS) };
  return { baseType: 'MessageData', baseData: withPropertiesAndMeasurements(baseData, eventProperties(reader, processedMark), customMeasurements) };
}

/**
 * One span event -> ExceptionData (`exception` events, whatever the span kind) or MessageData
 * (other events, message = event name). Time = event time; `ai.operation.parentId` = the span id.
 * The event's own user attributes (`enduser.id`, `enduser.pseudo.id`, `session.id`, user agent) and
 * Microsoft convention attributes (`microsoft.client.ip`, ...) win over the span's for this item.
 */
export function spanEventToEnvelope(span: ReadableSpan, event: TimedEvent, scope: SpanEventScope, ctx: MappingContext): Envelope {
  const reader = createAttributeReader(event.attributes ?? {});
  // Shared by the span's events unless the event's own attributes add tags (createEnvelope only reads them).
  const tags = event.attributes !== undefined ? addConventionTags(addUserTags(copyTags(scope.tags), reader), reader) : scope.tags;
  return createEnvelope(ctx, span.resource, envelopeParts(hrTimeToIsoString(event.time), tags, scope.sampleRate, eventData(event, reader, scope.processedMark)));
}
