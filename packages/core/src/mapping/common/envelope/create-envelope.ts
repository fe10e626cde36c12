import type { Resource } from '@opentelemetry/resources';
import { CONTEXT_TAG, CONTEXT_TAG_SCHEMA_MAX_LENGTH } from '../../../contracts/context-tag';
import type { BaseType, Envelope, EnvelopeData, EnvelopeName } from '../../../contracts/envelope';
import { SERVICE_LIMITS } from '../../../contracts/service-limits';
import { capItemSize } from '../limits/cap-item-size';
import { jsonSizeUpperBound, memberBound, stringBound } from '../limits/json-size-upper-bound';
import type { MappingContext } from './mapping-context';
import { resourceToTags } from '../tags/resource-to-tags';
import { truncateString } from '../limits/truncate-string';

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
  tags: Readonly<Record<string, string>>;
  sampleRate?: number;
  data: EnvelopeData;
}

/**
 * The envelope factory: adds the name, iKey, resource tags and `ai.internal.sdkVersion`, truncates
 * every tag to its schema limit, and enforces the whole-item size limit.
 */
export function createEnvelope(ctx: MappingContext, resource: Resource, parts: EnvelopeParts): Envelope {
  // Same keys, order and values as { ...resourceTags, [sdkVersion]: ..., ...parts.tags }, each truncated.
  // The JSON size bound (see capItemSize) is added up on the way: only `data` is walked for it.
  const tags: Record<string, string> = {};
  const base = baseTags(resource, ctx.sdkVersion);
  const baseEntries = base.entries;
  for (let i = 0; i < baseEntries.length; i += 2) tags[baseEntries[i] as string] = baseEntries[i + 1] as string;
  let tagsBound = base.bound; // a tag overriding a resource tag counts twice: still an upper bound
  const itemTags = parts.tags;
  for (const key in itemTags) {
    const value = truncateTag(key, itemTags[key] as string);
    tags[key] = value;
    tagsBound += memberBound(key, stringBound(value));
  }
  const name = ENVELOPE_NAME[parts.data.baseType];
  const envelope: Envelope = parts.sampleRate !== undefined
    ? { ver: 1, name, time: parts.time, sampleRate: parts.sampleRate, iKey: ctx.instrumentationKey, tags, data: parts.data }
    : { ver: 1, name, time: parts.time, iKey: ctx.instrumentationKey, tags, data: parts.data };
  const sizeBound = ENVELOPE_SCALARS_BOUND + memberBound('name', stringBound(name)) + memberBound('time', stringBound(parts.time))
    + memberBound('iKey', stringBound(ctx.instrumentationKey)) + memberBound('tags', tagsBound) + memberBound('data', jsonSizeUpperBound(parts.data));
  return capItemSize(envelope, SERVICE_LIMITS.ITEM_MAX_BYTES, sizeBound);
}

/** {@link jsonSizeUpperBound} of an envelope's braces, `ver` and `sampleRate` (counted even when absent). */
const ENVELOPE_SCALARS_BOUND = jsonSizeUpperBound({ ver: 1, sampleRate: 0 });
/** {@link jsonSizeUpperBound} of an empty object: the braces. */
const EMPTY_OBJECT_BOUND = jsonSizeUpperBound({});

function truncateTag(key: string, value: string): string {
  return truncateString(value, CONTEXT_TAG_SCHEMA_MAX_LENGTH[key] ?? SERVICE_LIMITS.NAME_MAX_CHARS);
}

/**
 * Per resource: its tags and the SDK version, truncated, as a flat `[key, value, key, value, ...]`
 * list, and the {@link jsonSizeUpperBound} of a tags object holding just them.
 */
interface BaseTags {
  readonly sdkVersion: string;
  readonly entries: readonly string[];
  readonly bound: number;
}

const BASE_TAGS = new WeakMap<Resource, BaseTags>();

/** The resource tags then `ai.internal.sdkVersion`, truncated once per resource (and SDK version). */
function baseTags(resource: Resource, sdkVersion: string): BaseTags {
  const cached = BASE_TAGS.get(resource);
  if (cached !== undefined && cached.sdkVersion === sdkVersion) return cached;
  const entries: string[] = [];
  const resourceTags = resourceToTags(resource);
  for (const key in resourceTags) entries.push(key, truncateTag(key, resourceTags[key] as string));
  entries.push(CONTEXT_TAG.INTERNAL_SDK_VERSION, truncateTag(CONTEXT_TAG.INTERNAL_SDK_VERSION, sdkVersion));
  let bound = EMPTY_OBJECT_BOUND;
  for (let i = 0; i < entries.length; i += 2) bound += memberBound(entries[i] as string, stringBound(entries[i + 1] as string));
  const computed: BaseTags = { sdkVersion, entries, bound };
  BASE_TAGS.set(resource, computed);
  return computed;
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
