import { hostname } from 'node:os';
import {
  defaultResource, detectResources, envDetector, osDetector, processDetector, resourceFromAttributes,
  serviceInstanceIdDetector, type Resource, type ResourceDetector,
} from '@opentelemetry/resources';
import { appServiceAttributes, functionsAttributes } from './app-service-attributes';
import { containerAppsAttributes } from './container-apps-attributes';
import type { DetectedAttributes } from './env-value';
import { kubernetesAttributes } from './kubernetes-attributes';
import type { ResourceDetectorName } from './parse-resource-detectors';
import type { PlatformVariables } from './platform-variables';

/** What the settings resolved for resource detection. */
export interface ResourceDetection {
  /** The detectors to run (`OTEL_NODE_RESOURCE_DETECTORS`). */
  readonly detectors: ReadonlySet<ResourceDetectorName>;
  /** The Azure platform variables that are set. */
  readonly platform: PlatformVariables;
}

/** Azure platform detectors, pure functions of the environment, in merge order (later wins). */
const PLATFORM_DETECTORS: ReadonlyArray<readonly [ResourceDetectorName, (env: PlatformVariables) => DetectedAttributes]> = [
  ['kubernetes', kubernetesAttributes],
  ['azurecontainerapps', containerAppsAttributes],
  ['azureappservice', appServiceAttributes],
  ['azurefunctions', functionsAttributes],
];

/** OpenTelemetry's own synchronous, local detectors. */
const SDK_DETECTORS: ReadonlyArray<readonly [ResourceDetectorName, ResourceDetector]> = [
  ['os', osDetector],
  ['process', processDetector],
  ['serviceinstance', serviceInstanceIdDetector],
];

/**
 * The resource every signal is tagged with. Later sources win:
 * 1. SDK defaults (`service.name` = `unknown_service:node`, `telemetry.sdk.*`);
 * 2. local detectors: `host` (`host.name`, which becomes `ai.cloud.roleInstance`),
 *    `os`, `process`, `serviceinstance` (a random `service.instance.id`; only when named);
 * 3. Azure platforms, from their environment variables only: Kubernetes / AKS, Container Apps,
 *    App Service, Functions (service name, instance, region, resource id);
 * 4. `env`: `OTEL_RESOURCE_ATTRIBUTES`, then `OTEL_SERVICE_NAME` (read from `process.env`);
 * 5. the `resource` option.
 *
 * Which detectors run follows `OTEL_NODE_RESOURCE_DETECTORS` (see `parseResourceDetectors`).
 * No cloud metadata endpoint or API server is ever contacted, and every attribute is synchronous.
 *
 * @param optionResource - The `resource` option, if any.
 * @param detection - The detectors to run and the platform variables (resolved settings).
 */
export function createResource(optionResource: Resource | undefined, detection: ResourceDetection): Resource {
  const { detectors, platform } = detection;
  let resource = defaultResource();
  if (detectors.has('host')) resource = resource.merge(resourceFromAttributes({ 'host.name': hostname() }));
  const sdk = SDK_DETECTORS.filter(([name]) => detectors.has(name)).map(([, detector]) => detector);
  if (sdk.length > 0) resource = resource.merge(detectResources({ detectors: sdk }));
  for (const [name, detect] of PLATFORM_DETECTORS) {
    if (!detectors.has(name)) continue;
    const attributes = detect(platform);
    if (Object.keys(attributes).length > 0) resource = resource.merge(resourceFromAttributes(attributes));
  }
  if (detectors.has('env')) resource = resource.merge(detectResources({ detectors: [envDetector] }));
  if (optionResource !== undefined) resource = resource.merge(optionResource);
  return resource;
}
