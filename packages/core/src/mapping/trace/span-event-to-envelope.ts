import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { CONTEXT_TAG } from '../../contracts/context-tag';
import type { Envelope, EnvelopeData } from '../../contracts/envelope';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR, PROCESSED_BY_METRIC_EXTRACTORS } from '../common/attribute-keys';
import { createAttributeReader } from '../common/attribute-reader';
import type { AttributeReader } from '../common/attribute-reader';
import { addConventionTags } from '../common/convention-tags';
import { createEnvelope, envelopeParts, optionalProperties } from '../common/create-envelope';
import { createExceptionDetails } from '../common/create-exception-details';
import { optionalMeasurements, parseCustomMeasurements } from '../common/custom-measurements';
import { EMPTY_MESSAGE } from '../common/empty-message';
import { hrTimeToIsoString } from '../common/hr-time-to-iso-string';
import { itemProperties } from '../common/item-properties';
import type { MappingContext } from '../common/mapping-context';
import { truncateString } from '../common/truncate-string';
import { addUserTags } from '../common/user-tags';

/** OpenTelemetry's name for exception span events. */
export const EXCEPTION_EVENT_NAME = 'exception';

/** What span-level facts an event envelope inherits. */
export interface SpanEventScope {
  /** Tags of the span (operation id, name, user) minus its parent: the event's parent is the span. */
  tags: Record<string, string>;
  sampleRate?: number;
  /** The span's `_MS.ProcessedByMetricExtractors` value, given to each event item (unless the event has its own). */
  processedMark?: string;
}

/** The event's properties, with the span's processed mark when the event has none. */
function eventProperties(reader: AttributeReader, processedMark: string | undefined): Record<string, string> {
  const properties = itemProperties(reader);
  if (processedMark !== undefined && properties[PROCESSED_BY_METRIC_EXTRACTORS] === undefined) properties[PROCESSED_BY_METRIC_EXTRACTORS] = processedMark;
  return properties;
}

function eventData(event: TimedEvent, reader: AttributeReader, processedMark: string | undefined): EnvelopeData {
  const measurements = optionalMeasurements(parseCustomMeasurements(reader.string(ATTR.CUSTOM_MEASUREMENTS)));
  if (event.name === EXCEPTION_EVENT_NAME) {
    const details = createExceptionDetails({
      type: reader.string(ATTR.EXCEPTION_TYPE),
      message: reader.string(ATTR.EXCEPTION_MESSAGE),
      stack: reader.string(ATTR.EXCEPTION_STACKTRACE),
    });
    return { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [details], ...optionalProperties(eventProperties(reader, processedMark)), ...measurements } };
  }
  const message = truncateString(event.name || EMPTY_MESSAGE, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
  return { baseType: 'MessageData', baseData: { ver: 2, message, ...optionalProperties(eventProperties(reader, processedMark)), ...measurements } };
}

/**
 * One span event -> ExceptionData (`exception` events, whatever the span kind) or MessageData
 * (other events, message = event name). Time = event time; `ai.operation.parentId` = the span id.
 * The event's own user attributes (`enduser.id`, `enduser.pseudo.id`, `session.id`, user agent) and
 * Microsoft convention attributes (`microsoft.client.ip`, ...) win over the span's for this item.
 */
export function spanEventToEnvelope(span: ReadableSpan, event: TimedEvent, scope: SpanEventScope, ctx: MappingContext): Envelope {
  const reader = createAttributeReader(event.attributes ?? {});
  const tags = { ...scope.tags, [CONTEXT_TAG.OPERATION_PARENT_ID]: span.spanContext().spanId };
  if (event.attributes !== undefined) addConventionTags(addUserTags(tags, reader), reader);
  return createEnvelope(ctx, span.resource, envelopeParts(hrTimeToIsoString(event.time), tags, scope.sampleRate, eventData(event, reader, scope.processedMark)));
}
