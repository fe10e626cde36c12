import { KUBERNETES_VARIABLES } from './kubernetes-attributes';

/**
 * The environment variables Azure platforms (and Kubernetes) set that the resource detectors and
 * the Azure Functions hook read. The settings resolver copies these, and only these, into the
 * frozen settings (`platformVariables`); nothing after it reads the environment.
 */
export const PLATFORM_VARIABLES: readonly string[] = [
  // App Service and Functions
  'WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID', 'WEBSITE_SLOT_NAME', 'WEBSITE_HOSTNAME', 'WEBSITE_HOME_STAMPNAME',
  'WEBSITE_OWNER_NAME', 'WEBSITE_RESOURCE_GROUP', 'WEBSITE_MEMORY_LIMIT_MB', 'REGION_NAME',
  'FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION',
  // Container Apps
  'CONTAINER_APP_NAME', 'CONTAINER_APP_REPLICA_NAME', 'CONTAINER_APP_REVISION', 'CONTAINER_APP_JOB_NAME', 'CONTAINER_APP_JOB_EXECUTION_NAME',
  ...KUBERNETES_VARIABLES,
];

/** The platform variables that are set (trimmed, non-blank), by name. */
export type PlatformVariables = Readonly<Record<string, string>>;
