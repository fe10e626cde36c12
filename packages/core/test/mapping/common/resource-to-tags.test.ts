import { hostname } from 'node:os';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { resourceToTags } from '../../../src/mapping/common/resource-to-tags';

describe('resourceToTags', () => {
  it.each<[string, Record<string, string>, Record<string, string>]>([
    ['namespace and name, instance id, version',
      { 'service.namespace': 'shop', 'service.name': 'api', 'service.instance.id': 'i-1', 'host.name': 'h', 'service.version': '2.0' },
      { 'ai.cloud.role': 'shop.api', 'ai.cloud.roleInstance': 'i-1', 'ai.application.ver': '2.0' }],
    ['name only, host name', { 'service.name': 'api', 'host.name': 'web-01' }, { 'ai.cloud.role': 'api', 'ai.cloud.roleInstance': 'web-01' }],
    ['nothing: the OS host name', {}, { 'ai.cloud.roleInstance': hostname() }],
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
