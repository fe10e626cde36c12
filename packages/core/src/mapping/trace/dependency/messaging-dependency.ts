import { ATTR } from '../../common/attributes/attribute-keys';
import type { DependencyMapper } from './dependency-fields';

/** Dependency type prefix of messages sent to a broker. */
export const QUEUE_MESSAGE_TYPE = 'Queue Message';

/** `host/destination` (a trailing `/` of the host dropped), or whichever of the two is known. */
export function messagingTarget(host: string | undefined, destination: string | undefined): string | undefined {
  const trimmedHost = host?.replace(/\/+$/, '') || undefined;
  return trimmedHost && destination ? `${trimmedHost}/${destination}` : (trimmedHost ?? destination);
}

/**
 * Messaging calls (`messaging.system`, producers and clients): type `Queue Message | <system>`,
 * where an Azure SDK's `az.namespace` (e.g. `Microsoft.ServiceBus`) names the system as the Azure
 * convention does; target = `server.address/destination`.
 */
export const messagingDependency: DependencyMapper = (span, reader) => {
  const system = reader.string(ATTR.MESSAGING_SYSTEM);
  if (system === undefined) return undefined;
  const destination = reader.string(ATTR.MESSAGING_DESTINATION);
  const target = messagingTarget(reader.string(ATTR.SERVER_ADDRESS), destination) ?? system;
  const azureNamespace = reader.string(ATTR.AZ_NAMESPACE);
  return {
    type: `${QUEUE_MESSAGE_TYPE} | ${azureNamespace ?? system}`,
    name: span.name || system,
    target,
  };
};
