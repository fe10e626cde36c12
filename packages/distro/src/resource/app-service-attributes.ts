import { definedAttributes, envValue, type DetectedAttributes } from './env-value';

/** Set by App Service (and Functions, which runs on it) in every worker. */
const SITE_NAME = 'WEBSITE_SITE_NAME';
const PRODUCTION_SLOT = 'production';
const BYTES_PER_MIB = 1024 * 1024;

/** True when `env` is an Azure Functions host (the worker runtime or extension version is set). */
function isAzureFunctions(env: Readonly<Record<string, string | undefined>>): boolean {
  return envValue(env, 'FUNCTIONS_WORKER_RUNTIME') !== undefined || envValue(env, 'FUNCTIONS_EXTENSION_VERSION') !== undefined;
}

/**
 * Azure App Service, from the variables the platform sets (never the metadata endpoint):
 * `service.name` = `WEBSITE_SITE_NAME`, `service.instance.id` = `WEBSITE_INSTANCE_ID`,
 * `cloud.region` = `REGION_NAME`, `deployment.environment.name` = `WEBSITE_SLOT_NAME`,
 * `host.id` = `WEBSITE_HOSTNAME`, `azure.app.service.stamp` = `WEBSITE_HOME_STAMPNAME`, and
 * `cloud.resource_id` built from `WEBSITE_OWNER_NAME` (subscription, before the `+`),
 * `WEBSITE_RESOURCE_GROUP`, the site and a non-production slot. Empty when not on App Service,
 * or when on Functions (see {@link functionsAttributes}).
 */
export function appServiceAttributes(env: Readonly<Record<string, string | undefined>>): DetectedAttributes {
  const site = envValue(env, SITE_NAME);
  if (site === undefined || isAzureFunctions(env)) return {};
  const slot = envValue(env, 'WEBSITE_SLOT_NAME');
  return definedAttributes({
    'cloud.provider': 'azure',
    'cloud.platform': 'azure_app_service',
    'service.name': site,
    'service.instance.id': envValue(env, 'WEBSITE_INSTANCE_ID'),
    'cloud.region': envValue(env, 'REGION_NAME'),
    'cloud.resource_id': siteResourceId(env, site, slot),
    'deployment.environment.name': slot,
    'host.id': envValue(env, 'WEBSITE_HOSTNAME'),
    'azure.app.service.stamp': envValue(env, 'WEBSITE_HOME_STAMPNAME'),
  });
}

/**
 * Azure Functions (`FUNCTIONS_WORKER_RUNTIME` or `FUNCTIONS_EXTENSION_VERSION` set, plus
 * `WEBSITE_SITE_NAME`): `cloud.platform` = `azure_functions`, `service.name` = the function app,
 * `service.instance.id` and `faas.instance` = `WEBSITE_INSTANCE_ID`, `faas.max_memory` (bytes) from
 * `WEBSITE_MEMORY_LIMIT_MB`, `cloud.region` and `cloud.resource_id` as on App Service.
 */
export function functionsAttributes(env: Readonly<Record<string, string | undefined>>): DetectedAttributes {
  const site = envValue(env, SITE_NAME);
  if (site === undefined || !isAzureFunctions(env)) return {};
  const instance = envValue(env, 'WEBSITE_INSTANCE_ID');
  const memoryMib = Number(envValue(env, 'WEBSITE_MEMORY_LIMIT_MB'));
  return definedAttributes({
    'cloud.provider': 'azure',
    'cloud.platform': 'azure_functions',
    'service.name': site,
    'service.instance.id': instance,
    'faas.instance': instance,
    'faas.max_memory': Number.isFinite(memoryMib) && memoryMib > 0 ? memoryMib * BYTES_PER_MIB : undefined,
    'cloud.region': envValue(env, 'REGION_NAME'),
    'cloud.resource_id': siteResourceId(env, site, envValue(env, 'WEBSITE_SLOT_NAME')),
  });
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{site}[/slots/{slot}]`, when both parts are known. */
function siteResourceId(env: Readonly<Record<string, string | undefined>>, site: string, slot: string | undefined): string | undefined {
  const subscription = envValue(env, 'WEBSITE_OWNER_NAME')?.split('+')[0]?.trim();
  const group = envValue(env, 'WEBSITE_RESOURCE_GROUP');
  if (!subscription || group === undefined) return undefined;
  const id = `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Web/sites/${site}`;
  return slot !== undefined && slot.toLowerCase() !== PRODUCTION_SLOT ? `${id}/slots/${slot}` : id;
}
