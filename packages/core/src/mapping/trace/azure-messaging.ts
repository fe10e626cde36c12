import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR } from '../common/attributes/attribute-keys';
import type { AttributeReader } from '../common/attributes/attribute-reader';
import { messagingTarget } from './dependency/messaging-dependency';

/** `az.namespace` values of the Azure messaging SDKs, with the dependency type of their client calls. */
const AZURE_MESSAGING_TYPE_BY_NAMESPACE: Readonly<Record<string, string>> = {
  'Microsoft.EventHub': 'Azure Event Hubs',
  'Microsoft.ServiceBus': 'Azure Service Bus',
};

/** Link attribute holding a received message's enqueue time (milliseconds since the epoch). */
const ENQUEUED_TIME_LINK_ATTRIBUTE = 'enqueuedTime';
/** Request measurement: average time the received messages waited in the broker, in milliseconds. */
export const TIME_SINCE_ENQUEUED_MEASUREMENT = 'timeSinceEnqueued';

/** Fully qualified namespace host and entity attributes, most specific first. */
const NAMESPACE_HOST = ['server.address', 'net.peer.name', 'peer.address'] as const;
const ENTITY = ['message_bus.destination', 'messaging.destination.name', 'messaging.destination'] as const;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The Azure messaging namespace (`Microsoft.EventHub`, `Microsoft.ServiceBus`) of a span's
 * `az.namespace`, consuming the attribute when it is one; undefined (nothing consumed) otherwise.
 */
export function azureMessagingNamespace(span: ReadableSpan, reader: AttributeReader): string | undefined {
  const namespace = span.attributes[ATTR.AZ_NAMESPACE[0]];
  if (typeof namespace !== 'string' || !Object.hasOwn(AZURE_MESSAGING_TYPE_BY_NAMESPACE, namespace)) return undefined;
  reader.consume(ATTR.AZ_NAMESPACE);
  return namespace;
}

/** Dependency type of a client call to an Azure messaging namespace (`Azure Event Hubs`, `Azure Service Bus`). */
export function azureMessagingClientType(namespace: string): string {
  return AZURE_MESSAGING_TYPE_BY_NAMESPACE[namespace] ?? namespace;
}

/**
 * `namespace/entity` of an Azure messaging span: the namespace host (`server.address`,
 * `net.peer.name`, else `peer.address` without its scheme and trailing `/`) and the entity
 * (`message_bus.destination`, `messaging.destination.name`), or whichever is known. Consumes them.
 */
export function azureMessagingAddress(reader: AttributeReader): string | undefined {
  return messagingTarget(reader.string(NAMESPACE_HOST)?.replace(SCHEME, ''), reader.string(ENTITY));
}

/**
 * Average of (span start - `enqueuedTime`) over the links that carry an enqueue time (epoch
 * milliseconds, number or numeric string), never negative; undefined when no link has one.
 */
export function timeSinceEnqueuedMillis(span: ReadableSpan): number | undefined {
  const startMillis = span.startTime[0] * 1000 + span.startTime[1] / 1e6;
  let count = 0;
  let sum = 0;
  for (const link of span.links) {
    const raw = link.attributes?.[ENQUEUED_TIME_LINK_ATTRIBUTE];
    const enqueued = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof enqueued !== 'number' || !Number.isFinite(enqueued)) continue;
    count += 1;
    sum += startMillis - enqueued;
  }
  return count === 0 ? undefined : Math.max(0, sum / count);
}
