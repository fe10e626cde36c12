import { definedAttributes, envValue, type DetectedAttributes } from './env-value';

/**
 * Azure Container Apps, from the variables the platform sets: `service.name` = `CONTAINER_APP_NAME`
 * (or `CONTAINER_APP_JOB_NAME` for a job), `service.instance.id` = `CONTAINER_APP_REPLICA_NAME`
 * (or the job's `CONTAINER_APP_JOB_EXECUTION_NAME`), `service.version` = `CONTAINER_APP_REVISION`,
 * `cloud.platform` = `azure_container_apps`. Empty when neither name is set.
 */
export function containerAppsAttributes(env: Readonly<Record<string, string | undefined>>): DetectedAttributes {
  const app = envValue(env, 'CONTAINER_APP_NAME');
  const job = envValue(env, 'CONTAINER_APP_JOB_NAME');
  const name = app ?? job;
  if (name === undefined) return {};
  return definedAttributes({
    'cloud.provider': 'azure',
    'cloud.platform': 'azure_container_apps',
    'service.name': name,
    'service.instance.id': app !== undefined ? envValue(env, 'CONTAINER_APP_REPLICA_NAME') : envValue(env, 'CONTAINER_APP_JOB_EXECUTION_NAME'),
    'service.version': app !== undefined ? envValue(env, 'CONTAINER_APP_REVISION') : undefined,
  });
}
