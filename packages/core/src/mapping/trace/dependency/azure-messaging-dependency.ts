import { SpanKind } from '@opentelemetry/api';
import { azureMessagingAddress, azureMessagingClientType, azureMessagingNamespace } from '../azure-messaging';
import type { DependencyMapper } from './dependency-fields';
import { QUEUE_MESSAGE_TYPE } from './messaging-dependency';

/**
 * Event Hubs and Service Bus SDK calls (`az.namespace` `Microsoft.EventHub` / `Microsoft.ServiceBus`,
 * CLIENT and PRODUCER spans): PRODUCER -> type `Queue Message | <namespace>` (as the official
 * exporter), CLIENT -> `Azure Event Hubs` / `Azure Service Bus`; target = `namespace/entity`.
 */
export const azureMessagingDependency: DependencyMapper = (span, reader) => {
  if (span.kind !== SpanKind.PRODUCER && span.kind !== SpanKind.CLIENT) return undefined;
  const namespace = azureMessagingNamespace(span, reader);
  if (namespace === undefined) return undefined;
  reader.consume(['messaging.system']);
  const target = azureMessagingAddress(reader);
  return {
    type: span.kind === SpanKind.PRODUCER ? `${QUEUE_MESSAGE_TYPE} | ${namespace}` : azureMessagingClientType(namespace),
    name: span.name || namespace,
    ...(target !== undefined ? { target } : {}),
  };
};
