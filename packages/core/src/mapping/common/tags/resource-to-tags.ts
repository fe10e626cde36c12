import { hostname } from 'node:os';
import type { Resource } from '@opentelemetry/resources';
import { CONTEXT_TAG } from '../../../contracts/context-tag';
import { attributeValueToString } from '../attributes/attribute-value-to-string';
import { K8S_WORKLOAD_ATTRIBUTES, RESOURCE_ATTR } from '../attributes/attribute-keys';

const TAGS_BY_RESOURCE = new WeakMap<Resource, Readonly<Record<string, string>>>();

/**
 * Resource -> cloud tags, computed once per Resource object (cached in a WeakMap):
 * `ai.cloud.role` = `service.namespace.service.name` (or `service.name`; when that is missing or the
 * SDK's `unknown_service*` default, the Kubernetes workload name: deployment > replicaset >
 * statefulset > daemonset > job > cronjob),
 * `ai.cloud.roleInstance` = `service.instance.id` > `host.name` > `os.hostname()`,
 * `ai.application.ver` = `service.version`. Values are not yet truncated (the envelope factory does).
 */
export function resourceToTags(resource: Resource): Readonly<Record<string, string>> {
  let tags = TAGS_BY_RESOURCE.get(resource);
  if (!tags) {
    tags = Object.freeze(computeResourceTags(resource));
    TAGS_BY_RESOURCE.set(resource, tags);
  }
  return tags;
}

function computeResourceTags(resource: Resource): Record<string, string> {
  const attr = (key: string): string | undefined => {
    const value = attributeValueToString(resource.attributes[key]);
    return value === '' ? undefined : value;
  };
  const tags: Record<string, string> = {};
  const declaredName = attr(RESOURCE_ATTR.SERVICE_NAME);
  const serviceName = declaredName === undefined || declaredName.startsWith('unknown_service')
    ? K8S_WORKLOAD_ATTRIBUTES.map(attr).find((name) => name !== undefined) ?? declaredName
    : declaredName;
  const serviceNamespace = attr(RESOURCE_ATTR.SERVICE_NAMESPACE);
  if (serviceName) {
    tags[CONTEXT_TAG.CLOUD_ROLE] = serviceNamespace ? `${serviceNamespace}.${serviceName}` : serviceName;
  }
  tags[CONTEXT_TAG.CLOUD_ROLE_INSTANCE] =
    attr(RESOURCE_ATTR.SERVICE_INSTANCE_ID) ?? attr(RESOURCE_ATTR.HOST_NAME) ?? hostname();
  const version = attr(RESOURCE_ATTR.SERVICE_VERSION);
  if (version) tags[CONTEXT_TAG.APPLICATION_VER] = version;
  return tags;
}
