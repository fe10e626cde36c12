import { hostname } from 'node:os';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { resourceToTags } from '../../../../src/mapping/common/tags/resource-to-tags';

describe('resourceToTags', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['namespace and name, instance id, version',
      { 'service.namespace': 'shop', 'service.name': 'api', 'service.instance.id': 'i-1', 'host.name': 'h', 'service.version': '2.0' },
      { 'ai.cloud.role': 'shop.api', 'ai.cloud.roleInstance': 'i-1', 'ai.application.ver': '2.0' }],
    ['name only, host name', { 'service.name': 'api', 'host.name': 'web-01' }, { 'ai.cloud.role': 'api', 'ai.cloud.roleInstance': 'web-01' }],
    ['nothing: the OS host name', {}, { 'ai.cloud.roleInstance': hostname() }],
    ['unknown_service: the k8s deployment name wins over the other workloads',
      { 'service.name': 'unknown_service:node', 'k8s.deployment.name': 'orders', 'k8s.replicaset.name': 'orders-5d4f', 'k8s.pod.name': 'orders-5d4f-x2b9k', 'host.name': 'orders-5d4f-x2b9k' },
      { 'ai.cloud.role': 'orders', 'ai.cloud.roleInstance': 'orders-5d4f-x2b9k' }],
    ['unknown_service: statefulset before daemonset, job and cronjob',
      { 'service.name': 'unknown_service', 'k8s.statefulset.name': 'db', 'k8s.daemonset.name': 'agent', 'k8s.job.name': 'j', 'k8s.cronjob.name': 'c', 'host.name': 'db-0' },
      { 'ai.cloud.role': 'db', 'ai.cloud.roleInstance': 'db-0' }],
    ['unknown_service: the cronjob name when it is the only workload, kept with the namespace',
      { 'service.name': 'unknown_service:node', 'service.namespace': 'ops', 'k8s.cronjob.name': 'nightly', 'host.name': 'h' },
      { 'ai.cloud.role': 'ops.nightly', 'ai.cloud.roleInstance': 'h' }],
    ['no service.name at all: the workload name', { 'k8s.daemonset.name': 'agent', 'host.name': 'h' }, { 'ai.cloud.role': 'agent', 'ai.cloud.roleInstance': 'h' }],
    ['unknown_service and no workload: unchanged', { 'service.name': 'unknown_service:node', 'k8s.pod.name': 'p', 'host.name': 'h' }, { 'ai.cloud.role': 'unknown_service:node', 'ai.cloud.roleInstance': 'h' }],
    ['a declared service name wins over the workload', { 'service.name': 'api', 'k8s.deployment.name': 'orders', 'host.name': 'h' }, { 'ai.cloud.role': 'api', 'ai.cloud.roleInstance': 'h' }],
  ])('maps %s', (_title, attributes, expected) => {
    expect(resourceToTags(resourceFromAttributes(attributes))).toEqual(expected);
  });

  it('computes the tags once per resource object', () => {
    const resource = resourceFromAttributes({ 'service.name': 'api' });
    const read = jest.spyOn(resource, 'attributes', 'get');
    const first = resourceToTags(resource);
    const reads = read.mock.calls.length;
    expect(resourceToTags(resource)).toBe(first);
    expect(read.mock.calls.length).toBe(reads);
  });
});
