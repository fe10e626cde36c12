import { SpanKind } from '@opentelemetry/api';
import { ATTR } from '../../common/attributes/attribute-keys';
import type { DependencyMapper } from './dependency-fields';
import { messagingTarget, QUEUE_MESSAGE_TYPE } from './messaging-dependency';

/** Dependency type of in-process operations. */
export const IN_PROC_TYPE = 'InProc';

/** Internal spans of Azure SDK clients (`az.namespace`): type `InProc | <namespace>`. */
export const azureSdkInProcDependency: DependencyMapper = (span, reader) => {
  if (span.kind !== SpanKind.INTERNAL || !reader.has(ATTR.AZ_NAMESPACE)) return undefined;
  return { type: `${IN_PROC_TYPE} | ${reader.string(ATTR.AZ_NAMESPACE) ?? ''}`, name: span.name };
};

/**
 * Other Azure SDK spans that no HTTP/database/RPC/messaging attribute described (Event Hubs and
 * Service Bus client and producer spans are `azureMessagingDependency`'s): PRODUCER ->
 * `Queue Message | <namespace>`, else the namespace as the type; target =
 * `peer.address/message_bus.destination` when known.
 */
export const azureSdkDependency: DependencyMapper = (span, reader) => {
  const namespace = reader.string(ATTR.AZ_NAMESPACE);
  if (namespace === undefined) return undefined;
  const target = messagingTarget(reader.string(ATTR.AZ_PEER_ADDRESS), reader.string(ATTR.AZ_DESTINATION));
  return {
    type: span.kind === SpanKind.PRODUCER ? `${QUEUE_MESSAGE_TYPE} | ${namespace}` : namespace,
    name: span.name || namespace,
    ...(target !== undefined ? { target } : {}),
  };
};
