import { K8S_WORKLOAD_ATTRIBUTES } from '@appinsights-otel/core';
import { definedAttributes, envValue, firstEnvValue, type DetectedAttributes } from './env-value';

/**
 * Variables read for each `k8s.*` attribute, first set wins: the ones the OpenTelemetry operator
 * injects (`OTEL_RESOURCE_ATTRIBUTES_*`), then `K8S_*` names you can set with the downward API
 * (documented in docs/configuration.md), then common spellings.
 */
const SOURCES: ReadonlyArray<readonly [attribute: string, names: readonly string[]]> = [
  ['k8s.pod.name', ['OTEL_RESOURCE_ATTRIBUTES_POD_NAME', 'K8S_POD_NAME', 'POD_NAME', 'HOSTNAME']],
  ['k8s.pod.uid', ['OTEL_RESOURCE_ATTRIBUTES_POD_UID', 'K8S_POD_UID', 'POD_UID']],
  ['k8s.namespace.name', ['K8S_NAMESPACE_NAME', 'POD_NAMESPACE']],
  ['k8s.node.name', ['OTEL_RESOURCE_ATTRIBUTES_NODE_NAME', 'K8S_NODE_NAME', 'NODE_NAME']],
  ['k8s.container.name', ['K8S_CONTAINER_NAME']],
  ['k8s.cluster.name', ['K8S_CLUSTER_NAME']],
  ['k8s.deployment.name', ['K8S_DEPLOYMENT_NAME']],
  ['k8s.replicaset.name', ['K8S_REPLICASET_NAME']],
  ['k8s.statefulset.name', ['K8S_STATEFULSET_NAME']],
  ['k8s.daemonset.name', ['K8S_DAEMONSET_NAME']],
  ['k8s.job.name', ['K8S_JOB_NAME']],
  ['k8s.cronjob.name', ['K8S_CRONJOB_NAME']],
];

/**
 * Pods of a Deployment are named `<deployment>-<pod-template-hash>-<suffix>`, both generated from
 * Kubernetes' "safe" alphabet (no vowels, no 0/1/3), the hash 6 to 10 characters, the suffix 5.
 */
const DEPLOYMENT_POD_NAME = /^([a-z0-9][a-z0-9.-]*?)-([bcdfghjklmnpqrstvwxz2456789]{6,10})-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/** Every variable {@link kubernetesAttributes} reads. */
export const KUBERNETES_VARIABLES: readonly string[] = ['KUBERNETES_SERVICE_HOST', ...new Set(SOURCES.flatMap(([, names]) => names))];

/**
 * Kubernetes (AKS or any cluster; detected by `KUBERNETES_SERVICE_HOST`, which the kubelet sets in
 * every container): `k8s.*` attributes from the variables in {@link SOURCES}. When no workload name
 * is given, `k8s.deployment.name` and `k8s.replicaset.name` are derived from a pod name shaped like a
 * Deployment's. Empty outside Kubernetes. No API server or metadata endpoint is contacted.
 */
export function kubernetesAttributes(env: Readonly<Record<string, string | undefined>>): DetectedAttributes {
  if (envValue(env, 'KUBERNETES_SERVICE_HOST') === undefined) return {};
  const attributes: Record<string, string | undefined> = {};
  for (const [attribute, names] of SOURCES) attributes[attribute] = firstEnvValue(env, names);
  const pod = attributes['k8s.pod.name'];
  const hasWorkload = K8S_WORKLOAD_ATTRIBUTES.some((name) => attributes[name] !== undefined);
  const match = pod !== undefined && !hasWorkload ? DEPLOYMENT_POD_NAME.exec(pod) : null;
  if (match !== null) {
    attributes['k8s.deployment.name'] = match[1];
    attributes['k8s.replicaset.name'] = `${match[1] ?? ''}-${match[2] ?? ''}`;
  }
  return definedAttributes(attributes);
}
