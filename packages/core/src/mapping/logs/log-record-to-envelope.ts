import { isSpanContextValid } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { CONTEXT_TAG } from '../../contracts/context-tag';
import type { Envelope, EnvelopeData } from '../../contracts/envelope';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR } from '../common/attribute-keys';
import { createAttributeReader } from '../common/attribute-reader';
import type { AttributeReader } from '../common/attribute-reader';
import { attributeValueToString } from '../common/attribute-value-to-string';
import { attributesToProperties } from '../common/attributes-to-properties';
import { createEnvelope, optionalProperties } from '../common/create-envelope';
import { createExceptionDetails } from '../common/create-exception-details';
import { EMPTY_MESSAGE } from '../common/empty-message';
import { hrTimeToIsoString } from '../common/hr-time-to-iso-string';
import type { MappingContext } from '../common/mapping-context';
import { truncateString } from '../common/truncate-string';
import { userTags } from '../common/user-tags';
import { severityToLevel } from './severity-level';

/** Property that keeps a log body that is not the item's message (exceptions with their own message, events). */
export const LOG_BODY_PROPERTY = 'log.body';

const EXCEPTION_ATTRIBUTE_PREFIX = 'exception.';

interface RecordParts {
  reader: AttributeReader;
  body: string | undefined;
  severity: ReturnType<typeof severityToLevel>;
}

/** Adds the body as `log.body` to the remaining attributes when it is not the message. */
function propertiesWithBody(reader: AttributeReader, body: string | undefined): Record<string, string> {
  const properties = attributesToProperties(reader.remaining());
  if (body !== undefined) Object.assign(properties, attributesToProperties([[LOG_BODY_PROPERTY, body]]));
  return properties;
}

function exceptionData({ reader, body, severity }: RecordParts): EnvelopeData {
  const exceptionMessage = reader.string(ATTR.EXCEPTION_MESSAGE);
  const details = createExceptionDetails(
    { type: reader.string(ATTR.EXCEPTION_TYPE), message: exceptionMessage, stack: reader.string(ATTR.EXCEPTION_STACKTRACE) },
    body,
  );
  const properties = propertiesWithBody(reader, exceptionMessage !== undefined ? body : undefined);
  return {
    baseType: 'ExceptionData',
    baseData: { ver: 2, exceptions: [details], ...(severity ? { severityLevel: severity } : {}), ...optionalProperties(properties) },
  };
}

function eventData(name: string, { reader, body }: RecordParts): EnvelopeData {
  const eventName = truncateString(name, SERVICE_LIMITS.EVENT_NAME_MAX_CHARS);
  return { baseType: 'EventData', baseData: { ver: 2, name: eventName, ...optionalProperties(propertiesWithBody(reader, body)) } };
}

function messageData({ reader, body, severity }: RecordParts): EnvelopeData {
  const message = truncateString(body || EMPTY_MESSAGE, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
  const properties = attributesToProperties(reader.remaining());
  return {
    baseType: 'MessageData',
    baseData: { ver: 2, message, ...(severity ? { severityLevel: severity } : {}), ...optionalProperties(properties) },
  };
}

function recordTags(record: ReadableLogRecord, reader: AttributeReader): Record<string, string> {
  const tags: Record<string, string> = {};
  if (record.spanContext && isSpanContextValid(record.spanContext)) {
    tags[CONTEXT_TAG.OPERATION_ID] = record.spanContext.traceId;
    tags[CONTEXT_TAG.OPERATION_PARENT_ID] = record.spanContext.spanId;
  }
  return Object.assign(tags, userTags(reader));
}

/**
 * One log record -> one envelope, never none:
 * - any `exception.*` attribute -> ExceptionData (type, message, stack; the body becomes the message
 *   when `exception.message` is missing, else the `log.body` property);
 * - else `microsoft.custom_event.name` or the record's `eventName` -> EventData (body as `log.body`);
 * - else MessageData with the body (objects as JSON; no body -> `n/a`).
 * Severity from `severityNumber`, else `severityText`. Trace context -> operation id / parent id.
 * A `microsoft.sample_rate` attribute becomes `envelope.sampleRate` (never a property).
 */
export function logRecordToEnvelope(record: ReadableLogRecord, ctx: MappingContext): Envelope {
  const reader = createAttributeReader(record.attributes);
  const sampleRate = reader.number(ATTR.SAMPLE_RATE) ?? ctx.sampleRate?.(); // set by trace-based log sampling
  const parts: RecordParts = {
    reader,
    body: attributeValueToString(record.body),
    severity: severityToLevel(record.severityNumber, record.severityText),
  };
  const tags = recordTags(record, reader);
  const customEventName = reader.string(ATTR.CUSTOM_EVENT_NAME) ?? (record.eventName || undefined);
  const data = reader.someKey((key) => key.startsWith(EXCEPTION_ATTRIBUTE_PREFIX))
    ? exceptionData(parts)
    : customEventName !== undefined
      ? eventData(customEventName, parts)
      : messageData(parts);
  const time = record.hrTime[0] === 0 && record.hrTime[1] === 0 ? record.hrTimeObserved : record.hrTime;
  return createEnvelope(ctx, record.resource, {
    time: hrTimeToIsoString(time),
    tags,
    ...(sampleRate !== undefined ? { sampleRate } : {}),
    data,
  });
}
