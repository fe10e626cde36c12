import { hostname } from 'node:os';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { createResource } from '../../src/resource/create-resource';
import { appServiceAttributes, functionsAttributes } from '../../src/resource/app-service-attributes';
import { containerAppsAttributes } from '../../src/resource/container-apps-attributes';
import { kubernetesAttributes } from '../../src/resource/kubernetes-attributes';
import { DEFAULT_RESOURCE_DETECTORS, parseResourceDetectors } from '../../src/resource/parse-resource-detectors';
import { PLATFORM_VARIABLES } from '../../src/resource/platform-variables';
import { resolveSettings } from '../../src/config/resolve-settings';

const SUB = '0b0b0b0b-1111-4222-8333-444444444444';

/** The variables each platform sets, as seen in real workers (values made up). */
const APP_SERVICE_ENV = {
  WEBSITE_SITE_NAME: 'shop-web', WEBSITE_INSTANCE_ID: 'a1b2c3d4e5', REGION_NAME: 'West Europe',
  WEBSITE_OWNER_NAME: `${SUB}+shop-rg-WestEuropewebspace-Linux`, WEBSITE_RESOURCE_GROUP: 'shop-rg',
  WEBSITE_SLOT_NAME: 'Production', WEBSITE_HOSTNAME: 'shop-web.azurewebsites.net', WEBSITE_HOME_STAMPNAME: 'waws-prod-am2-001',
  WEBSITE_SKU: 'PremiumV3',
};
const FUNCTIONS_ENV = {
  WEBSITE_SITE_NAME: 'orders-func', WEBSITE_INSTANCE_ID: 'f00dfeed', REGION_NAME: 'East US', FUNCTIONS_WORKER_RUNTIME: 'node',
  FUNCTIONS_EXTENSION_VERSION: '~4', WEBSITE_OWNER_NAME: `${SUB}+orders-rg-EastUSwebspace`, WEBSITE_RESOURCE_GROUP: 'orders-rg',
  WEBSITE_MEMORY_LIMIT_MB: '1536',
};
const CONTAINER_APP_ENV = {
  CONTAINER_APP_NAME: 'cart', CONTAINER_APP_REPLICA_NAME: 'cart--r7-6d9f8c7b5-abcde', CONTAINER_APP_REVISION: 'cart--r7',
  CONTAINER_APP_ENV_DNS_SUFFIX: 'blue-sky.westeurope.azurecontainerapps.io', KUBERNETES_SERVICE_HOST: '10.0.0.1',
};
const AKS_ENV = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', HOSTNAME: 'checkout-7c9d8f6b5d-x2b9k' };

describe('Azure platform detectors (environment only)', () => {
  it.each<[string, (env: NodeJS.ProcessEnv) => Record<string, unknown>, NodeJS.ProcessEnv, Record<string, unknown>]>([
    ['App Service', appServiceAttributes, APP_SERVICE_ENV, {
      'cloud.provider': 'azure', 'cloud.platform': 'azure_app_service', 'service.name': 'shop-web', 'service.instance.id': 'a1b2c3d4e5',
      'cloud.region': 'West Europe', 'cloud.resource_id': `/subscriptions/${SUB}/resourceGroups/shop-rg/providers/Microsoft.Web/sites/shop-web`,
      'deployment.environment.name': 'Production', 'host.id': 'shop-web.azurewebsites.net', 'azure.app.service.stamp': 'waws-prod-am2-001',
    }],
    ['App Service, staging slot: the slot is part of the resource id', appServiceAttributes, { ...APP_SERVICE_ENV, WEBSITE_SLOT_NAME: 'staging' }, expect.objectContaining({
      'cloud.resource_id': `/subscriptions/${SUB}/resourceGroups/shop-rg/providers/Microsoft.Web/sites/shop-web/slots/staging`,
      'deployment.environment.name': 'staging',
    })],
    ['App Service without owner or group: no resource id', appServiceAttributes, { WEBSITE_SITE_NAME: 'solo' }, {
      'cloud.provider': 'azure', 'cloud.platform': 'azure_app_service', 'service.name': 'solo',
    }],
    ['App Service detector under Functions: nothing (the Functions detector answers)', appServiceAttributes, FUNCTIONS_ENV, {}],
    ['Functions', functionsAttributes, FUNCTIONS_ENV, {
      'cloud.provider': 'azure', 'cloud.platform': 'azure_functions', 'service.name': 'orders-func', 'service.instance.id': 'f00dfeed',
      'faas.instance': 'f00dfeed', 'faas.max_memory': 1536 * 1024 * 1024, 'cloud.region': 'East US',
      'cloud.resource_id': `/subscriptions/${SUB}/resourceGroups/orders-rg/providers/Microsoft.Web/sites/orders-func`,
    }],
    ['Functions detector on plain App Service: nothing', functionsAttributes, APP_SERVICE_ENV, {}],
    ['Container Apps', containerAppsAttributes, CONTAINER_APP_ENV, {
      'cloud.provider': 'azure', 'cloud.platform': 'azure_container_apps', 'service.name': 'cart',
      'service.instance.id': 'cart--r7-6d9f8c7b5-abcde', 'service.version': 'cart--r7',
    }],
    ['Container Apps job', containerAppsAttributes, { CONTAINER_APP_JOB_NAME: 'nightly', CONTAINER_APP_JOB_EXECUTION_NAME: 'nightly-28391234' }, {
      'cloud.provider': 'azure', 'cloud.platform': 'azure_container_apps', 'service.name': 'nightly', 'service.instance.id': 'nightly-28391234',
    }],
    ['AKS pod of a Deployment: deployment and replicaset derived from the pod name', kubernetesAttributes, AKS_ENV, {
      'k8s.pod.name': 'checkout-7c9d8f6b5d-x2b9k', 'k8s.deployment.name': 'checkout', 'k8s.replicaset.name': 'checkout-7c9d8f6b5d',
    }],
    ['AKS with downward-API variables: explicit names win, nothing derived', kubernetesAttributes, {
      ...AKS_ENV, K8S_POD_NAME: 'db-0', K8S_NAMESPACE_NAME: 'shop', K8S_NODE_NAME: 'aks-pool-1', K8S_POD_UID: 'u-1',
      K8S_STATEFULSET_NAME: 'db', K8S_CLUSTER_NAME: 'prod', K8S_CONTAINER_NAME: 'main',
    }, {
      'k8s.pod.name': 'db-0', 'k8s.namespace.name': 'shop', 'k8s.node.name': 'aks-pool-1', 'k8s.pod.uid': 'u-1',
      'k8s.statefulset.name': 'db', 'k8s.cluster.name': 'prod', 'k8s.container.name': 'main',
    }],
    ['OpenTelemetry operator variables', kubernetesAttributes, {
      KUBERNETES_SERVICE_HOST: '10.0.0.1', OTEL_RESOURCE_ATTRIBUTES_POD_NAME: 'web-0', OTEL_RESOURCE_ATTRIBUTES_NODE_NAME: 'n1', OTEL_RESOURCE_ATTRIBUTES_POD_UID: 'u2', HOSTNAME: 'other',
    }, { 'k8s.pod.name': 'web-0', 'k8s.node.name': 'n1', 'k8s.pod.uid': 'u2' }],
    ['a pod name not shaped like a Deployment\'s (cron job): nothing derived', kubernetesAttributes, { KUBERNETES_SERVICE_HOST: '10.0.0.1', HOSTNAME: 'backup-28391234-x2b9k' }, {
      'k8s.pod.name': 'backup-28391234-x2b9k',
    }],
    ['outside Kubernetes: nothing, even with HOSTNAME', kubernetesAttributes, { HOSTNAME: 'checkout-7c9d8f6b5d-x2b9k' }, {}],
    ['blank values count as unset', appServiceAttributes, { WEBSITE_SITE_NAME: '  ' }, {}],
  ])('%s', (_platform, detect, env, expected) => {
    expect(detect(env)).toEqual(expected);
  });
});

describe('parseResourceDetectors (OTEL_NODE_RESOURCE_DETECTORS)', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, [...DEFAULT_RESOURCE_DETECTORS]],
    ['', [...DEFAULT_RESOURCE_DETECTORS]],
    ['all', [...DEFAULT_RESOURCE_DETECTORS]],
    ['none', []],
    ['env,none,host', []],
    ['env, HOST', ['env', 'host']],
    ['azure', ['azureappservice', 'azurefunctions', 'azurecontainerapps', 'kubernetes']],
    ['aks,serviceinstance', ['kubernetes', 'serviceinstance']],
  ])('%p -> %p', (raw, expected) => {
    const choice = parseResourceDetectors(raw);
    expect([...choice.detectors].sort()).toEqual([...expected].sort());
    expect(choice.warnings).toEqual([]);
  });

  it('the default runs every detector but serviceinstance', () => {
    expect([...DEFAULT_RESOURCE_DETECTORS].sort()).toEqual(['azureappservice', 'azurecontainerapps', 'azurefunctions', 'env', 'host', 'kubernetes', 'os', 'process']);
  });

  it('warns once per unknown entry and keeps the rest', () => {
    const choice = parseResourceDetectors('env,gcp,constructor');
    expect([...choice.detectors]).toEqual(['env']);
    expect(choice.warnings).toHaveLength(2);
    expect(choice.warnings[0]).toContain('unknown detector "gcp"');
  });
});

/** `createResource` with the detection settings the resolver gives for `env`, and the resolver's warnings. */
function resourceFrom(option: Resource | undefined, env: NodeJS.ProcessEnv): { resource: Resource; warnings: readonly string[] } {
  const { settings, warnings } = resolveSettings({}, env);
  return { resource: createResource(option, { detectors: settings.resourceDetectors, platform: settings.platformVariables }), warnings };
}

describe('PLATFORM_VARIABLES', () => {
  it('holds every variable the platform detectors and the Functions hook read (nothing else reaches them)', () => {
    const read = new Set<string>();
    const recording = new Proxy({ ...APP_SERVICE_ENV, ...CONTAINER_APP_ENV, ...AKS_ENV, FUNCTIONS_WORKER_RUNTIME: 'node' } as Record<string, string | undefined>, {
      get: (target, name) => { if (typeof name === 'string') read.add(name); return target[name as string]; },
    });
    for (const detect of [appServiceAttributes, functionsAttributes, containerAppsAttributes, kubernetesAttributes]) detect(recording);
    expect([...read].filter((name) => !PLATFORM_VARIABLES.includes(name))).toEqual([]);
  });
});

describe('createResource', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('App Service: the site becomes service.name and OTEL_SERVICE_NAME still wins over it', () => {
    delete process.env['OTEL_SERVICE_NAME'];
    delete process.env['OTEL_RESOURCE_ATTRIBUTES'];
    expect(resourceFrom(undefined, APP_SERVICE_ENV).resource.attributes).toMatchObject({ 'service.name': 'shop-web', 'cloud.region': 'West Europe', 'host.name': hostname() });
    process.env['OTEL_SERVICE_NAME'] = 'from-env';
    expect(resourceFrom(undefined, APP_SERVICE_ENV).resource.attributes['service.name']).toBe('from-env');
  });

  it('the resource option wins over everything', () => {
    const { resource } = resourceFrom(resourceFromAttributes({ 'service.name': 'mine' }), CONTAINER_APP_ENV);
    expect(resource.attributes).toMatchObject({ 'service.name': 'mine', 'cloud.platform': 'azure_container_apps' });
  });

  it('none: only the SDK defaults (no host, no process, no platform)', () => {
    const { resource } = resourceFrom(undefined, { ...APP_SERVICE_ENV, OTEL_NODE_RESOURCE_DETECTORS: 'none' });
    expect(resource.attributes['service.name']).toMatch(/^unknown_service/);
    expect(resource.attributes['host.name']).toBeUndefined();
    expect(resource.attributes['process.pid']).toBeUndefined();
    expect(resource.attributes['cloud.platform']).toBeUndefined();
  });

  it('a list: only the named detectors; serviceinstance adds a service.instance.id; unknown entries come back as warnings', () => {
    const { resource, warnings } = resourceFrom(undefined, { ...AKS_ENV, OTEL_NODE_RESOURCE_DETECTORS: 'process,serviceinstance,bogus' });
    expect(resource.attributes['process.pid']).toBe(process.pid);
    expect(resource.attributes['service.instance.id']).toEqual(expect.any(String));
    expect(resource.attributes['k8s.pod.name']).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('"bogus"')]);
  });

  it('AKS: the derived deployment name is there for the role-name fallback, and no attribute is asynchronous', () => {
    const { resource } = resourceFrom(undefined, AKS_ENV);
    expect(resource.attributes).toMatchObject({ 'k8s.deployment.name': 'checkout' });
    expect(resource.asyncAttributesPending).toBeFalsy();
  });
});
