import { hostname } from 'node:os';
import {
  defaultResource, detectResources, envDetector, processDetector, resourceFromAttributes, type Resource,
} from '@opentelemetry/resources';

/**
 * The resource every signal is tagged with. Later sources win:
 * 1. SDK defaults (`service.name` = `unknown_service:node`, `telemetry.sdk.*`);
 * 2. this host and process: `host.name` (becomes `ai.cloud.roleInstance`), `process.*`;
 * 3. the environment: `OTEL_RESOURCE_ATTRIBUTES`, then `OTEL_SERVICE_NAME` (becomes `ai.cloud.role`);
 * 4. the `resource` option.
 *
 * Only local detectors run: no cloud metadata endpoint is ever contacted.
 *
 * @param optionResource - The `resource` option, if any.
 */
export function createResource(optionResource?: Resource): Resource {
  let resource = defaultResource()
    .merge(resourceFromAttributes({ 'host.name': hostname() }))
    .merge(detectResources({ detectors: [processDetector, envDetector] }));
  if (optionResource !== undefined) resource = resource.merge(optionResource);
  return resource;
}
