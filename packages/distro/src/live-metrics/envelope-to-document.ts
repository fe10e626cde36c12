import type { Envelope } from '@appinsights-otel/core';
import type { DocumentIngress, KeyValuePair } from './protocol/quick-pulse-contracts';
import { timeSpanToIsoDuration } from './time-span-to-iso-duration';

/** Properties shown per sample document, at most. */
const MAX_DOCUMENT_PROPERTIES = 10;
/** Longest property value shown. */
const MAX_PROPERTY_CHARS = 256;
/** A document no stream asked for carries an empty list, as the official client sends it. */
const NO_STREAMS: readonly string[] = Object.freeze([]);

function properties(bag: Record<string, string> | undefined): KeyValuePair[] {
  if (bag === undefined) return [];
  return Object.entries(bag)
    .filter(([key]) => !key.startsWith('_MS.'))
    .slice(0, MAX_DOCUMENT_PROPERTIES)
    .map(([key, value]) => ({ key, value: value.slice(0, MAX_PROPERTY_CHARS) }));
}

/**
 * An envelope -> the sample document the Live Metrics page shows (requests, dependencies,
 * exceptions, traces, events); `undefined` for metrics. Pure.
 */
export function envelopeToDocument(envelope: Envelope): DocumentIngress | undefined {
  const { data } = envelope;
  switch (data.baseType) {
    case 'RequestData':
      return {
        DocumentType: 'Request', DocumentStreamIds: NO_STREAMS, Name: data.baseData.name, Url: data.baseData.url ?? '', ResponseCode: data.baseData.responseCode,
        Duration: timeSpanToIsoDuration(data.baseData.duration), Properties: properties(data.baseData.properties),
      };
    case 'RemoteDependencyData':
      return {
        DocumentType: 'RemoteDependency', DocumentStreamIds: NO_STREAMS, Name: data.baseData.name, CommandName: data.baseData.data ?? '', ResultCode: data.baseData.resultCode,
        Duration: timeSpanToIsoDuration(data.baseData.duration), Properties: properties(data.baseData.properties),
      };
    case 'ExceptionData': {
      const first = data.baseData.exceptions[0];
      return {
        DocumentType: 'Exception', DocumentStreamIds: NO_STREAMS, ExceptionType: first?.typeName ?? '', ExceptionMessage: first?.message ?? '',
        Properties: properties(data.baseData.properties),
      };
    }
    case 'MessageData':
      return { DocumentType: 'Trace', DocumentStreamIds: NO_STREAMS, Message: data.baseData.message, Properties: properties(data.baseData.properties) };
    case 'EventData':
      return { DocumentType: 'Event', DocumentStreamIds: NO_STREAMS, Name: data.baseData.name, Properties: properties(data.baseData.properties) };
    case 'MetricData':
      return undefined;
  }
}
