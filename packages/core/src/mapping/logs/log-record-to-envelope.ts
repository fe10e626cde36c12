import { isSpanContextValid } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { CONTEXT_TAG } from '../../contracts/context-tag';
import type { Envelope, EnvelopeData } from '../../contracts/envelope';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { ATTR } from '../common/attributes/attribute-keys';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { attributeValueToString } from '../common/attributes/attribute-value-to-string';
import { attributesToProperties } from '../common/attributes/attributes-to-properties';
import { addConventionTags } from '../common/tags/convention-tags';
import { createEnvelope, optionalProperties } from '../common/envelope/create-envelope';
import { createExceptionDetails } from '../common/envelope/create-exception-details';
import { optionalMeasurements, parseCustomMeasurements } from '../common/attributes/custom-measurements';
import { EMPTY_MESSAGE } from '../common/envelope/empty-message';
import { hrTimeToIsoString } from '../common/time/hr-time-to-iso-string';
import { itemProperties } from '../common/attributes/item-properties';
import type { MappingContext } from '../common/envelope/mapping-context';
import { isJsonObject, parseJsonObject } from '../common/attributes/parse-json-object';
import { truncateString } from '../common/limits/truncate-string';
import { userTags } from '../common/tags/user-tags';
import { availabilityTestTime, readAvailabilityFields } from './availability-data';
import { legacyEnvelopeData } from './legacy-telemetry';
import { severityToLevel } from './severity-level';
import { itemSampleRate } from '../common/envelope/sample-rate';

/** Property that keeps a log body that is not the item's message (exceptions with their own message, events). */
const LOG_BODY_PROPERTY = 'log.body';

const EXCEPTION_ATTRIBUTE_PREFIX = 'exception.';

interface RecordParts {
  record: ReadableLogRecord;
  reader: AttributeReader;
  body: string | undefined;
  severity: ReturnType<typeof severityToLevel>;
  /** From the `microsoft.custom_measurements` attribute. */
  measurements: Record<string, number>;
}

/** Adds the body as `log.body` to the remaining attributes when it is not the message. */
function propertiesWithBody(reader: AttributeReader, body: string | undefined): Record<string, string> {
  const properties = itemProperties(reader);
  if (body !== undefined) Object.assign(properties, attributesToProperties([[LOG_BODY_PROPERTY, body]]));
  return properties;
}

/** `measurements` of a structured (object) body, under the attribute's measurements. */
function withBodyMeasurements(body: unknown, measurements: Record<string, number>): Record<string, number> {
  const fromBody = isJsonObject(body) ? body['measurements'] : undefined;
  return fromBody === undefined ? measurements : { ...parseCustomMeasurements(fromBody), ...measurements };
}

function exceptionData({ reader, body, severity, measurements }: RecordParts): EnvelopeData {
  const exceptionMessage = reader.string(ATTR.EXCEPTION_MESSAGE);
  const details = createExceptionDetails(
    { type: reader.string(ATTR.EXCEPTION_TYPE), message: exceptionMessage, stack: reader.string(ATTR.EXCEPTION_STACKTRACE) },
    body,
  );
  const properties = propertiesWithBody(reader, exceptionMessage !== undefined ? body : undefined);
  return {
    baseType: 'ExceptionData',
    baseData: {
      ver: 2, exceptions: [details], ...(severity ? { severityLevel: severity } : {}), ...optionalProperties(properties), ...optionalMeasurements(measurements),
    },
  };
}

function eventData(name: string, { record, reader, body, measurements }: RecordParts): EnvelopeData {
  const eventName = truncateString(name, SERVICE_LIMITS.EVENT_NAME_MAX_CHARS);
  const allMeasurements = optionalMeasurements(withBodyMeasurements(record.body, measurements));
  return { baseType: 'EventData', baseData: { ver: 2, name: eventName, ...optionalProperties(propertiesWithBody(reader, body)), ...allMeasurements } };
}

function messageData({ reader, body, severity, measurements }: RecordParts): EnvelopeData {
  const message = truncateString(body || EMPTY_MESSAGE, SERVICE_LIMITS.MESSAGE_MAX_CHARS);
  const properties = itemProperties(reader);
  return {
    baseType: 'MessageData',
    baseData: { ver: 2, message, ...(severity ? { severityLevel: severity } : {}), ...optionalProperties(properties), ...optionalMeasurements(measurements) },
  };
}

/** A record of the legacy shim (`_MS.baseType` + base data as body) -> that item; undefined if it is not one. */
function legacyData({ record, reader, severity, measurements }: RecordParts): EnvelopeData | undefined {
  const baseType = reader.string(ATTR.LEGACY_BASE_TYPE);
  const body = baseType !== undefined ? parseJsonObject(record.body) : undefined;
  if (baseType === undefined || body === undefined) return undefined;
  const data = legacyEnvelopeData(baseType, body, severity);
  if (data === undefined) return undefined;
  const allMeasurements = optionalMeasurements(withBodyMeasurements(body, measurements));
  Object.assign(data.baseData, optionalProperties(itemProperties(reader)), allMeasurements);
  return data;
}

/**
 * A record with valid `microsoft.availability.*` attributes -> AvailabilityData (message: the
 * attribute, else the body; a body that is not the message is kept as `log.body`); undefined otherwise.
 */
function availabilityData({ record, reader, body, measurements }: RecordParts): EnvelopeData | undefined {
  const fields = readAvailabilityFields(reader, record.attributes);
  if (fields === undefined) return undefined;
  const bodyIsMessage = fields.message === undefined && Boolean(body);
  if (bodyIsMessage) fields.message = truncateString(body as string, SERVICE_LIMITS.AVAILABILITY_MESSAGE_MAX_CHARS);
  const properties = propertiesWithBody(reader, bodyIsMessage ? undefined : body);
  return { baseType: 'AvailabilityData', baseData: { ...fields, ...optionalProperties(properties), ...optionalMeasurements(measurements) } };
}

/** Whether a record is an exception: any `exception.*` attribute. */
export const isExceptionRecord = (reader: AttributeReader): boolean => reader.someKey((key) => key.startsWith(EXCEPTION_ATTRIBUTE_PREFIX));

/** A record's custom event name: `microsoft.custom_event.name`, else the record's `eventName`; undefined if none. */
export const customEventName = (record: ReadableLogRecord, reader: AttributeReader): string | undefined =>
  reader.string(ATTR.CUSTOM_EVENT_NAME) ?? (record.eventName || undefined);

/** Whether a record is of the legacy shim (`_MS.baseType`); such records may become any item. */
export const isLegacyRecord = (reader: AttributeReader): boolean => reader.has(ATTR.LEGACY_BASE_TYPE);

/** Exception, else custom event, else availability result, else message. */
function classifiedData(parts: RecordParts): EnvelopeData {
  if (isExceptionRecord(parts.reader)) return exceptionData(parts);
  const eventName = customEventName(parts.record, parts.reader);
  if (eventName !== undefined) return eventData(eventName, parts);
  return availabilityData(parts) ?? messageData(parts);
}

function recordTags(record: ReadableLogRecord, reader: AttributeReader, ctx: MappingContext): Record<string, string> {
  const tags: Record<string, string> = {};
  if (record.spanContext && isSpanContextValid(record.spanContext)) {
    tags[CONTEXT_TAG.OPERATION_ID] = record.spanContext.traceId;
    tags[CONTEXT_TAG.OPERATION_PARENT_ID] = record.spanContext.spanId;
  }
  const inherited = ctx.operationNameOf?.(record); // an explicit attribute wins (addConventionTags)
  if (inherited) tags[CONTEXT_TAG.OPERATION_NAME] = inherited;
  return addConventionTags(Object.assign(tags, userTags(reader)), reader);
}

/**
 * One log record -> one envelope, never none:
 * - `_MS.baseType` (the `applicationinsights` 3.x shim) with a structured body -> that item, its
 *   fields from the body (see `legacyEnvelopeData`);
 * - any `exception.*` attribute -> ExceptionData (type, message, stack; the body becomes the message
 *   when `exception.message` is missing, else the `log.body` property);
 * - else `microsoft.custom_event.name` or the record's `eventName` -> EventData (body as `log.body`);
 * - else complete `microsoft.availability.*` attributes -> AvailabilityData (time: a valid
 *   `microsoft.availability.testTimestamp`, else the record's);
 * - else MessageData with the body (objects as JSON; no body -> `n/a`).
 * Severity from `severityNumber`, else `severityText`. Trace context -> operation id / parent id;
 * `ai.operation.name` from the attribute, else the enclosing request's (`ctx.operationNameOf`).
 * A `microsoft.sample_rate` attribute becomes `envelope.sampleRate` (set by trace-based log sampling).
 * `microsoft.custom_measurements` (and `measurements` of a structured event or legacy body) ->
 * `measurements`; `microsoft.*` / `_MS.*` attributes are never properties.
 */
export function logRecordToEnvelope(record: ReadableLogRecord, ctx: MappingContext): Envelope {
  const reader = createAttributeReader(record.attributes);
  const tags = recordTags(record, reader, ctx);
  const parts: RecordParts = {
    record,
    reader,
    body: attributeValueToString(record.body),
    severity: severityToLevel(record.severityNumber, record.severityText),
    measurements: parseCustomMeasurements(reader.string(ATTR.CUSTOM_MEASUREMENTS)),
  };
  const data = legacyData(parts) ?? classifiedData(parts);
  const sampleRate = itemSampleRate(reader.number(ATTR.SAMPLE_RATE), ctx.sampleRate); // set by trace-based log sampling
  const time = record.hrTime[0] === 0 && record.hrTime[1] === 0 ? record.hrTimeObserved : record.hrTime;
  const testTime = data.baseType === 'AvailabilityData' ? availabilityTestTime(record.attributes) : undefined;
  return createEnvelope(ctx, record.resource, {
    time: testTime ?? hrTimeToIsoString(time),
    tags,
    ...(sampleRate !== undefined ? { sampleRate } : {}),
    data,
  });
}
