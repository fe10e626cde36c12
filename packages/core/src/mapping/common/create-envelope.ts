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
  AvailabilityData: 'Microsoft.ApplicationInsights.Availability',
  PageViewData: 'Microsoft.ApplicationInsights.PageView',
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
  // Same keys, order and values as { ...resourceTags, [sdkVersion]: ..., ...parts.tags }, each truncated.
  const tags: Record<string, string> = {};
  const base = baseTags(resource, ctx.sdkVersion);
  for (let i = 0; i < base.length; i += 2) tags[base[i] as string] = base[i + 1] as string;
  const itemTags = parts.tags;
  for (const key in itemTags) putTag(tags, key, itemTags[key] as string);
  const name = ENVELOPE_NAME[parts.data.baseType];
  const envelope: Envelope = parts.sampleRate !== undefined
    ? { ver: 1, name, time: parts.time, sampleRate: parts.sampleRate, iKey: ctx.instrumentationKey, tags, data: parts.data }
    : { ver: 1, name, time: parts.time, iKey: ctx.instrumentationKey, tags, data: parts.data };
  return capItemSize(envelope);
}

function putTag(tags: Record<string, string>, key: string, value: string): void {
  tags[key] = truncateTag(key, value);
}

function truncateTag(key: string, value: string): string {
  return truncateString(value, CONTEXT_TAG_MAX_LENGTH[key as ContextTagKey] ?? SERVICE_LIMITS.NAME_MAX_CHARS);
}

/** Per resource: its tags and the SDK version, truncated, as a flat `[key, value, key, value, ...]` list. */
const BASE_TAGS = new WeakMap<Resource, { readonly sdkVersion: string; readonly entries: readonly string[] }>();

/** The resource tags then `ai.internal.sdkVersion`, truncated once per resource (and SDK version). */
function baseTags(resource: Resource, sdkVersion: string): readonly string[] {
  const cached = BASE_TAGS.get(resource);
  if (cached !== undefined && cached.sdkVersion === sdkVersion) return cached.entries;
  const entries: string[] = [];
  const resourceTags = resourceToTags(resource);
  for (const key in resourceTags) entries.push(key, truncateTag(key, resourceTags[key] as string));
  entries.push(CONTEXT_TAG.INTERNAL_SDK_VERSION, truncateTag(CONTEXT_TAG.INTERNAL_SDK_VERSION, sdkVersion));
  BASE_TAGS.set(resource, { sdkVersion, entries });
  return entries;
}

/** {@link EnvelopeParts} with `sampleRate` only when defined. */
export function envelopeParts(time: string, tags: Record<string, string>, sampleRate: number | undefined, data: EnvelopeData): EnvelopeParts {
  return sampleRate !== undefined ? { time, tags, sampleRate, data } : { time, tags, data };
}

/** `properties` only when non-empty, for spreading into base data. */
export function optionalProperties(properties: Record<string, string>): { properties?: Record<string, string> } {
  return hasKeys(properties) ? { properties } : {};
}

/** Whether a plain object has any enumerable key (without building the key list). */
export function hasKeys(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}
