import type { Resource } from '@opentelemetry/resources';
import { CONTEXT_TAG, CONTEXT_TAG_MAX_LENGTH } from '../../contracts/context-tag';
import type { ContextTagKey } from '../../contracts/context-tag';
import type { BaseType, Envelope, EnvelopeData, EnvelopeName } from '../../contracts/envelope';
import { SERVICE_LIMITS } from '../../contracts/service-limits';
import { capItemSize } from './cap-item-size';
import type { MappingContext } from './mapping-context';
import { resourceToTags } from './resource-to-tags';
import { truncateString } from './truncate-string';

const ENVELOPE_NAME: Readonly<Record<BaseType, EnvelopeName>> = {
  RequestData: 'Microsoft.ApplicationInsights.Request',
  RemoteDependencyData: 'Microsoft.ApplicationInsights.RemoteDependency',
  ExceptionData: 'Microsoft.ApplicationInsights.Exception',
  MessageData: 'Microsoft.ApplicationInsights.Message',
  EventData: 'Microsoft.ApplicationInsights.Event',
  MetricData: 'Microsoft.ApplicationInsights.Metric',
};

/** The item-specific parts of an envelope. */
export interface EnvelopeParts {
  /** ISO-8601 time (see `hrTimeToIsoString`). */
  time: string;
  /** Item tags; they override the resource tags. */
  tags: Record<string, string>;
  sampleRate?: number;
  data: EnvelopeData;
}

/**
 * The envelope factory: adds the name, iKey, resource tags and `ai.internal.sdkVersion`, truncates
 * every tag to its schema limit, and enforces the whole-item size limit.
 */
export function createEnvelope(ctx: MappingContext, resource: Resource, parts: EnvelopeParts): Envelope {
  const tags: Record<string, string> = {};
  const allTags = { ...resourceToTags(resource), [CONTEXT_TAG.INTERNAL_SDK_VERSION]: ctx.sdkVersion, ...parts.tags };
  for (const [key, value] of Object.entries(allTags)) {
    const max = CONTEXT_TAG_MAX_LENGTH[key as ContextTagKey] ?? SERVICE_LIMITS.NAME_MAX_CHARS;
    tags[key] = truncateString(value, max);
  }
  const envelope: Envelope = {
    ver: 1,
    name: ENVELOPE_NAME[parts.data.baseType],
    time: parts.time,
    ...(parts.sampleRate !== undefined ? { sampleRate: parts.sampleRate } : {}),
    iKey: ctx.instrumentationKey,
    tags,
    data: parts.data,
  };
  return capItemSize(envelope);
}

/** `properties` only when non-empty, for spreading into base data. */
export function optionalProperties(properties: Record<string, string>): { properties?: Record<string, string> } {
  return Object.keys(properties).length > 0 ? { properties } : {};
}
