import type { PlatformVariables } from './platform-variables';

/**
 * The `computeType` dimension of SDK Stats from the platform variables: `functions`, `appsvc`,
 * `aks` (any Kubernetes), else `unknown`. Never `vm`: telling a VM apart needs the instance
 * metadata service, which this distro never calls.
 */
export function computeTypeOf(platform: PlatformVariables): string {
  if (platform['FUNCTIONS_WORKER_RUNTIME'] !== undefined) return 'functions';
  if (platform['WEBSITE_SITE_NAME'] !== undefined) return 'appsvc';
  if (platform['KUBERNETES_SERVICE_HOST'] !== undefined) return 'aks';
  return 'unknown';
}
