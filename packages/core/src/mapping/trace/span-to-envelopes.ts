import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Envelope, EnvelopeData } from '../../contracts/envelope';
import { ATTR, CONNECTION_ATTRIBUTES, LINKS_PROPERTY, PROCESSED_BY_METRIC_EXTRACTORS } from '../common/attributes/attribute-keys';
import { attributeValueToString } from '../common/attributes/attribute-value-to-string';
import { createAttributeReader } from '../common/attributes/attribute-reader';
import { createEnvelope, envelopeParts, hasKeys } from '../common/envelope/create-envelope';
import { parseCustomMeasurements } from '../common/attributes/custom-measurements';
import { hrTimeToIsoString } from '../common/time/hr-time-to-iso-string';
import { spanItemProperties } from '../common/attributes/item-properties';
import type { MappingContext } from '../common/envelope/mapping-context';
import { linksToProperty } from './links-to-property';
import { spanEventTags, spanEventToEnvelope, type SpanEventScope } from './span-event-to-envelope';
import { isRequestSpan, spanOperationName, spanTags } from './span-tags';
import { spanToDependencyData } from './span-to-dependency-data';
import { spanToRequestData } from './span-to-request-data';
import { itemSampleRate } from '../common/envelope/sample-rate';

/**
 * One finished span -> its envelopes: first a Request (SERVER, CONSUMER) or RemoteDependency
 * (CLIENT, PRODUCER, INTERNAL), then one Exception or Message per span event, in event order.
 * Attributes mapped to fields or tags are consumed, and so are the connection details
 * (`CONNECTION_ATTRIBUTES`: socket addresses, ports, protocol); the rest become properties, except internal
 * ones (`microsoft.*`, `_MS.*`); `microsoft.custom_measurements` becomes `measurements`. The
 * `microsoft.sample_rate` attribute (written by `ApplicationInsightsSampler`) becomes
 * `sampleRate` on every envelope of the span, and `_MS.ProcessedByMetricExtractors` becomes a
 * property of every item of the span (its events' too: standard metrics counted them). Pure: no I/O, never throws on odd attributes.
 */
export function spanToEnvelopes(span: ReadableSpan, ctx: MappingContext): Envelope[] {
  const reader = createAttributeReader(span.attributes);
  const sampleRate = itemSampleRate(reader.number(ATTR.SAMPLE_RATE), ctx.sampleRate);
  const data: EnvelopeData = isRequestSpan(span)
    ? { baseType: 'RequestData', baseData: spanToRequestData(span, reader, ctx) }
    : { baseType: 'RemoteDependencyData', baseData: spanToDependencyData(span, reader, ctx) };
  const operationName = data.baseType === 'RequestData'
    ? spanOperationName(span, reader, data.baseData.name)
    : spanOperationName(span, reader, undefined, ctx.operationNameOf?.(span));
  const tags = spanTags(span, reader, operationName);
  const customMeasurements = reader.string(ATTR.CUSTOM_MEASUREMENTS); // read before the rest become properties
  reader.consume(CONNECTION_ATTRIBUTES); // what client_IP / target already say: not billed twice
  const properties = spanItemProperties(reader);
  const links = linksToProperty(span.links);
  if (links !== undefined) properties[LINKS_PROPERTY] = links;
  // Assigned in place (no spread objects per span): properties after the fields, measurements where
  // the mapper put them (merged with the custom ones, which win) or after the properties.
  const baseData = data.baseData;
  if (hasKeys(properties)) baseData.properties = properties;
  if (customMeasurements !== undefined) {
    const custom = parseCustomMeasurements(customMeasurements);
    if (hasKeys(custom)) baseData.measurements = baseData.measurements ? { ...baseData.measurements, ...custom } : custom;
  }
  const main = createEnvelope(ctx, span.resource, envelopeParts(hrTimeToIsoString(span.startTime), tags, sampleRate, data));
  const events = span.events;
  if (events.length === 0) return [main];
  const eventTags = spanEventTags(span, tags);
  const scope: SpanEventScope = sampleRate !== undefined ? { tags: eventTags, sampleRate } : { tags: eventTags };
  const processedMark = attributeValueToString(span.attributes[PROCESSED_BY_METRIC_EXTRACTORS]);
  if (processedMark) scope.processedMark = processedMark;
  const envelopes = [main];
  for (const event of events) envelopes.push(spanEventToEnvelope(span, event, scope, ctx));
  return envelopes;
}
